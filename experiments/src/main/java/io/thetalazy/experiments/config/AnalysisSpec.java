package io.thetalazy.experiments.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An analysis as an experiment file names it under {@code analyses:}: {@code rd-vs-width}, or {@code {name:
 * critical-point, axis: rule.gamma}}.
 *
 * @param settings its settings as written, without {@code name}
 */
public record AnalysisSpec(String name, Map<String, JsonNode> settings) {
    public AnalysisSpec {
        requireNonNull(name, "name is null");
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    public static AnalysisSpec of(String name) {
        return new AnalysisSpec(name, Map.of());
    }

    /** A text setting, or {@code otherwise}. */
    public String text(String key, String otherwise) {
        JsonNode value = settings.get(key);
        return value == null ? otherwise : value.asText();
    }

    /** A number setting, or {@code otherwise}. */
    public double number(String key, double otherwise) {
        JsonNode value = settings.get(key);
        return value == null ? otherwise : value.asDouble();
    }
}
