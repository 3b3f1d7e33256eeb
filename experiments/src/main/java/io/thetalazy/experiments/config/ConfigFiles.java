package io.thetalazy.experiments.config;

import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;
import static io.thetalazy.core.error.ErrorCode.INVALID_FILE;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.error.Suggestions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes run configs. Keys a config does not define are errors naming the closest valid key ("did you
 * mean"); missing keys take their defaults; the resolved config has every default written out.
 */
public final class ConfigFiles {
    /** Sections whose values are free-form maps checked later by their owners (rule, activation, data, options). */
    private static final Set<String> OPEN_SECTIONS = Set.of("activation", "rule", "data", "options");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private ConfigFiles() {}

    public static ObjectMapper yaml() {
        return YAML;
    }

    public static RunConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new FrameworkException(INVALID_FILE, "config file not found: " + file);
        } catch (IOException e) {
            throw new FrameworkException(INVALID_FILE, "cannot read config %s: %s".formatted(file, e.getMessage()), e);
        }
        return parse(text, file.toString());
    }

    /** Parses YAML text; {@code source} names it in error messages. */
    public static RunConfig parse(String text, String source) {
        JsonNode user;
        try {
            user = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new FrameworkException(INVALID_CONFIG, "%s is not valid YAML: %s".formatted(source, e.getOriginalMessage()));
        }
        ObjectNode merged = YAML.valueToTree(RunConfig.defaults());
        if (user != null && !user.isNull() && !user.isMissingNode()) {
            if (!user.isObject()) {
                throw new FrameworkException(INVALID_CONFIG, source + " must be a map of settings, found " + user.getNodeType());
            }
            merge(merged, (ObjectNode) user, "", source);
        }
        try {
            return YAML.treeToValue(merged, RunConfig.class);
        } catch (JsonMappingException e) {
            Throwable cause = e.getCause();
            if (cause instanceof FrameworkException framework) {
                throw new FrameworkException(framework.errorCode(), "%s: %s: %s"
                        .formatted(source, path(e), framework.getMessage()));
            }
            throw new FrameworkException(INVALID_CONFIG, "%s: bad value for '%s': %s"
                    .formatted(source, path(e), e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw new FrameworkException(INVALID_CONFIG, source + ": " + e.getOriginalMessage());
        }
    }

    private static String path(JsonMappingException e) {
        List<String> names = new ArrayList<>();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                names.add(reference.getFieldName());
            }
        }
        return String.join(".", names);
    }

    private static void merge(ObjectNode target, ObjectNode user, String prefix, String source) {
        Iterator<Map.Entry<String, JsonNode>> fields = user.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            if (!target.has(key)) {
                List<String> valid = new ArrayList<>();
                target.fieldNames().forEachRemaining(valid::add);
                throw new FrameworkException(INVALID_CONFIG, "%s: unknown key '%s%s'%s; valid keys%s: %s".formatted(
                        source, prefix, key, Suggestions.didYouMean(key, valid),
                        prefix.isEmpty() ? "" : " of " + prefix.substring(0, prefix.length() - 1), valid));
            }
            JsonNode existing = target.get(key);
            if (existing.isObject() && field.getValue().isObject() && !OPEN_SECTIONS.contains(key)) {
                merge((ObjectNode) existing, (ObjectNode) field.getValue(), prefix + key + ".", source);
            } else {
                target.set(key, field.getValue());
            }
        }
    }

    /** The resolved config as YAML, every default written out. */
    public static String toYaml(RunConfig config) {
        try {
            return YAML.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
