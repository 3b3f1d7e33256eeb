package io.thetalazy.experiments.config;

import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.thetalazy.core.error.FrameworkException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A named value with optional parameters, written in a config either as a bare name ({@code activation: relu}) or as
 * a map with a {@code name} key ({@code rule: {name: theta-lazy, gamma: 0.25}}).
 */
public record Named(String name, Map<String, Object> parameters) {
    public Named {
        requireNonNull(name, "name is null");
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    public static Named of(String name) {
        return new Named(name, Map.of());
    }

    @JsonCreator
    static Named parse(Object value) {
        if (value instanceof String text) {
            return of(text);
        }
        if (value instanceof Map<?, ?> map) {
            Object name = map.get("name");
            if (!(name instanceof String text)) {
                throw new FrameworkException(INVALID_CONFIG, "a map value needs a 'name' entry, found " + map);
            }
            Map<String, Object> parameters = new LinkedHashMap<>();
            map.forEach((key, v) -> {
                if (!"name".equals(key)) {
                    parameters.put(String.valueOf(key), v);
                }
            });
            return new Named(text, parameters);
        }
        throw new FrameworkException(INVALID_CONFIG, "expected a name or a map with a 'name' entry, found " + value);
    }

    @JsonValue
    Object serialized() {
        if (parameters.isEmpty()) {
            return name;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", name);
        map.putAll(parameters);
        return map;
    }

    @Override
    public String toString() {
        return parameters.isEmpty() ? name : name + parameters;
    }
}
