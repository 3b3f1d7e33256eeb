package io.thetalazy.experiments.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Cell ids: the first 12 hexadecimal digits of the SHA-256 of a resolved configuration's canonical form, so the same
 * configuration always has the same id and any change gives a new one.
 */
public final class CellIds {
    private static final int DIGITS = 12;

    private CellIds() {}

    public static String of(RunConfig config) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(canonical(config).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /**
     * The configuration as compact JSON with the keys of every map sorted and every number in one spelling (an
     * integral value as an integer: {@code kappa0: 1} and {@code kappa0: 1.0} are the same setting).
     */
    public static String canonical(RunConfig config) {
        return canonical((JsonNode) ConfigFiles.yaml().valueToTree(config)).toString();
    }

    private static JsonNode canonical(JsonNode node) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            ObjectNode sorted = nodes.objectNode();
            for (String name : names) {
                sorted.set(name, canonical(node.get(name)));
            }
            return sorted;
        }
        if (node.isArray()) {
            var array = nodes.arrayNode();
            node.forEach(item -> array.add(canonical(item)));
            return array;
        }
        if (node.isNumber()) {
            double value = node.doubleValue();
            if (node.isIntegralNumber() || Double.isFinite(value) && value == Math.rint(value) && Math.abs(value) < 1e15) {
                return nodes.numberNode(node.isIntegralNumber() ? node.bigIntegerValue() : java.math.BigInteger.valueOf((long) value));
            }
            return Double.isFinite(value) ? nodes.numberNode(value) : nodes.textNode(String.valueOf(value));
        }
        return node;
    }
}
