package io.thetalazy.experiments.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.param.ParametrizationCard;

/**
 * card.json: core's {@link ParametrizationCard} fields, then the provenance (docs/formats.md#parametrization-card);
 * and the project's one JSON mapper.
 */
public final class Card {
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Card() {}

    /** card.json, fields in the order of docs/formats.md#parametrization-card. */
    public static ObjectNode json(Network network, String learningRateMode, double learningRate) {
        ObjectNode card = JSON.valueToTree(ParametrizationCard.fields(network, learningRateMode, learningRate));
        card.set("provenance", Provenance.json());
        return card;
    }

    /** The card as a table for the terminal. */
    public static String text(Network network, String learningRateMode, double learningRate) {
        return ParametrizationCard.text(network, learningRateMode, learningRate);
    }
}
