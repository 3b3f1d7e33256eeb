package io.thetalazy.core.param;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.thetalazy.core.layer.Activations;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.testing.TestNetworks;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The card as a library call: card.json's fields in order, with kappa and the regime from the normalized view. */
final class ParametrizationCardTest {
    @Test
    void fieldsFollowTheCardsOrderAndTheNormalizedView() {
        Network network = TestNetworks.fcn(256, 3, 4, Activations.RELU, new ThetaLazyRule(0.25));
        Map<String, Object> card = ParametrizationCard.fields(network, "fixed", Double.NaN);
        assertThat(List.copyOf(card.keySet())).containsSubsequence("architecture", "width", "depth", "inputDimension",
                "activation", "homogeneous", "bias", "initializer", "antisymmetric", "rule", "layers",
                "outputMultiplier", "learningRate", "learningRateMode", "kappa", "kappaConvention", "logKappaOverLogM",
                "kappaExponent", "regime", "blockInvariants");
        assertThat(card.get("learningRate")).isNull();
        assertThat((double) card.get("kappa")).isCloseTo(Math.pow(256, 0.25), within(1e-12));
        assertThat((double) card.get("kappaExponent")).isCloseTo(0.25, within(1e-12));
        assertThat(card.get("regime")).isEqualTo(Parametrization.of(network).regime().label());
        assertThat((List<?>) card.get("layers")).hasSize(4);
        assertThat(ParametrizationCard.text(network, "fixed", 0.5))
                .contains("parametrization card", "kappa = 4.00000 (gains-pulled-out", "(eta = 0.500000 at step 0)",
                        "predicted regime: theta-lazy");
    }
}
