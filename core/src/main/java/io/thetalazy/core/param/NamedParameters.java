package io.thetalazy.core.param;

import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.error.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parameters given with a named value in a config ({@code rule: {name: theta-lazy, gamma: 0.25}}), read with
 * types and defaults. Keys that the named value does not take are errors naming the closest valid key.
 *
 * @param owner what the parameters belong to, for error messages ({@code rule theta-lazy})
 * @param values the parameters by key, in the config's order (copied)
 */
public record NamedParameters(String owner, Map<String, Object> values) {
    /** Copies the values, keeping their order. */
    public NamedParameters {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** No parameters: a name given without any (every read gives its default). */
    public static NamedParameters none(String owner) {
        return new NamedParameters(owner, Map.of());
    }

    /** Fails if a key is not among {@code valid}. */
    public NamedParameters requireKeys(Set<String> valid) {
        for (String key : values.keySet()) {
            if (!valid.contains(key)) {
                throw new FrameworkException(INVALID_CONFIG, "'%s' takes no parameter '%s'%s; it takes: %s".formatted(
                        owner, key, Suggestions.didYouMean(key, valid), valid.stream().sorted().toList()));
            }
        }
        return this;
    }

    /**
     * The number under key, or defaultValue when absent.
     *
     * @throws io.thetalazy.core.error.FrameworkException {@code INVALID_CONFIG} when the value is not a number
     */
    public double number(String key, double defaultValue) {
        Object value = values.get(key);
        if (value == null) {
            return defaultValue;
        }
        return toDouble(key, value);
    }

    /** A list of numbers; a single number is broadcast; absent gives an empty list. */
    public List<Double> numbers(String key) {
        Object value = values.get(key);
        if (value == null) {
            return List.of();
        }
        List<Double> numbers = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object item : list) {
                numbers.add(toDouble(key, item));
            }
        } else {
            numbers.add(toDouble(key, value));
        }
        return List.copyOf(numbers);
    }

    /** The value under key as text, or defaultValue when absent. */
    public String text(String key, String defaultValue) {
        Object value = values.get(key);
        return value == null ? defaultValue : value.toString();
    }

    private double toDouble(String key, Object value) {
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        try {
            return Double.parseDouble(value.toString());
        } catch (NumberFormatException e) {
            throw new FrameworkException(INVALID_CONFIG, "'%s' parameter '%s' must be a number, found '%s'"
                    .formatted(owner, key, value));
        }
    }
}
