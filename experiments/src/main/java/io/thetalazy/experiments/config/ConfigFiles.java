package io.thetalazy.experiments.config;

import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;
import static io.thetalazy.core.error.ErrorCode.INVALID_FILE;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.error.Suggestions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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
 * mean"), a key given twice is an error naming both lines, a value of the wrong type is an error naming the key, the
 * type expected and the value found; missing keys take their defaults; the resolved config has every default written
 * out.
 */
public final class ConfigFiles {
    /** Sections whose values are free-form maps checked later by their owners (rule, activation, data, options). */
    private static final Set<String> OPEN_SECTIONS = Set.of("activation", "rule", "data", "options");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ConfigFiles() {}

    public static ObjectMapper yaml() {
        return YAML;
    }

    public static RunConfig read(Path file) {
        return parse(text(file), file.toString());
    }

    /**
     * A config file's text: UTF-8 (a byte-order mark is skipped) or UTF-16 with its byte-order mark; anything else is
     * an error naming the file and the first offending byte.
     */
    public static String text(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new FrameworkException(INVALID_FILE, "config file not found: " + file);
        } catch (IOException e) {
            throw new FrameworkException(INVALID_FILE, "cannot read config %s: %s".formatted(file, e.getMessage()), e);
        }
        if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xfe && (bytes[1] & 0xff) == 0xff) {
            return decode(file, bytes, 2, StandardCharsets.UTF_16BE);
        }
        if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xfe) {
            return decode(file, bytes, 2, StandardCharsets.UTF_16LE);
        }
        boolean utf8Mark = bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb
                && (bytes[2] & 0xff) == 0xbf;
        return decode(file, bytes, utf8Mark ? 3 : 0, StandardCharsets.UTF_8);
    }

    private static String decode(Path file, byte[] bytes, int offset, Charset charset) {
        ByteBuffer input = ByteBuffer.wrap(bytes, offset, bytes.length - offset);
        String text;
        try {
            text = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(input).toString();
        } catch (CharacterCodingException e) {
            throw new FrameworkException(INVALID_FILE, "config %s is not %s text (byte %d is not valid)"
                    .formatted(file, charset.name(), input.position()));
        }
        if (text.indexOf('\0') >= 0) {
            throw new FrameworkException(INVALID_FILE, ("config %s holds NUL characters: it looks like UTF-16 without "
                    + "a byte-order mark; save it as UTF-8").formatted(file));
        }
        return text;
    }

    /** Whether YAML text holds no settings at all (blank, or comments only): every key then takes its default. */
    public static boolean isEmpty(String text, String source) {
        return YamlTree.parse(text, source).root() == null;
    }

    /** Parses YAML text; {@code source} names it in error messages. */
    public static RunConfig parse(String text, String source) {
        return resolve(YamlTree.parse(text, source), source);
    }

    /**
     * The user's settings ({@code tree.root()}, null for none) merged into the defaults and checked; messages name
     * {@code source} and the line {@code tree} records for each key. Experiment cells come through here too.
     */
    static RunConfig resolve(YamlTree tree, String source) {
        JsonNode user = tree.root();
        ObjectNode merged = YAML.valueToTree(RunConfig.defaults());
        if (user != null && !user.isNull()) {
            if (!user.isObject()) {
                throw new FrameworkException(INVALID_CONFIG, "%s must be a map of settings (key: value lines), found %s"
                        .formatted(source, describe(user)));
            }
            merge(merged, (ObjectNode) user, "", source, tree);
        }
        try {
            return YAML.treeToValue(merged, RunConfig.class);
        } catch (JsonMappingException e) {
            String path = path(e);
            Throwable cause = e.getCause();
            if (cause instanceof FrameworkException framework) {
                throw new FrameworkException(framework.errorCode(), "%s%s: %s: %s"
                        .formatted(source, tree.at(path), path, framework.getMessage()));
            }
            throw new FrameworkException(INVALID_CONFIG, "%s%s: bad value for '%s'".formatted(source, tree.at(path),
                    path));
        } catch (JsonProcessingException e) {
            throw new FrameworkException(INVALID_CONFIG, source + ": not a valid config");
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

    /**
     * Merges the user's keys into the defaults, checking each value against its default's type: integers are
     * integers (64.5 is refused, 64.0 taken as 64), numbers are numbers ({@code .inf} and {@code .nan} included, for
     * the records to judge), booleans are true or false, names are strings, sections are maps.
     */
    private static void merge(ObjectNode target, ObjectNode user, String prefix, String source, YamlTree tree) {
        Iterator<Map.Entry<String, JsonNode>> fields = user.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            String path = prefix + key;
            if (!target.has(key)) {
                List<String> valid = new ArrayList<>();
                target.fieldNames().forEachRemaining(valid::add);
                throw new FrameworkException(INVALID_CONFIG, "%s%s: unknown key '%s'%s; valid keys%s: %s".formatted(
                        source, tree.at(path), path, Suggestions.didYouMean(key, valid),
                        prefix.isEmpty() ? "" : " of " + prefix.substring(0, prefix.length() - 1), valid));
            }
            JsonNode existing = target.get(key);
            JsonNode value = field.getValue();
            if (existing.isObject() && value.isObject() && !OPEN_SECTIONS.contains(key)) {
                merge((ObjectNode) existing, (ObjectNode) value, path + ".", source, tree);
            } else {
                target.set(key, checked(path, key, existing, value, source, tree));
            }
        }
    }

    private static JsonNode checked(String path, String key, JsonNode expected, JsonNode value, String source,
            YamlTree tree) {
        String where = source + tree.at(path) + ": ";
        if (value.isNull()) {
            throw new FrameworkException(INVALID_CONFIG, "%s'%s' has no value; give one, or delete the line to take "
                    .formatted(where, path) + "the default (%s)".formatted(describe(expected)));
        }
        if (OPEN_SECTIONS.contains(key) && !key.equals("options")) {
            if (!value.isTextual() && !value.isObject()) {
                throw mismatch(where, path, "a name or a map with a 'name' entry", value);
            }
            return value;
        }
        if (key.equals("learningRate")) {
            if (!value.isTextual() && !value.isNumber()) {
                throw mismatch(where, path, "a positive number, 'auto' or 'adaptive'", value);
            }
            return value;
        }
        if (expected.isInt() || expected.isLong()) {
            long min = expected.isInt() ? Integer.MIN_VALUE : Long.MIN_VALUE;
            long max = expected.isInt() ? Integer.MAX_VALUE : Long.MAX_VALUE;
            String range = expected.isInt() ? "an integer" : "an integer (64-bit)";
            if (!value.isNumber()) {
                throw mismatch(where, path, range, value);
            }
            double number = value.doubleValue();
            boolean integral = value.isIntegralNumber() || Double.isFinite(number) && number == Math.rint(number);
            if (!integral) {
                throw mismatch(where, path, range, value);
            }
            if (value.isBigInteger() || number < min || number > max
                    || value.canConvertToLong() && (value.longValue() < min || value.longValue() > max)) {
                throw new FrameworkException(INVALID_CONFIG, "%s'%s' must be %s from %d to %d, found %s"
                        .formatted(where, path, range, min, max, describe(value)));
            }
            long integer = value.isIntegralNumber() ? value.longValue() : (long) number;
            return expected.isInt() ? NODES.numberNode((int) integer) : NODES.numberNode(integer);
        }
        if (expected.isNumber() && !value.isNumber()) {
            throw mismatch(where, path, "a number", value);
        }
        if (expected.isNumber()) {
            return NODES.numberNode(value.doubleValue());
        }
        if (expected.isBoolean() && !value.isBoolean()) {
            throw mismatch(where, path, "true or false", value);
        }
        if (expected.isTextual() && !value.isTextual()) {
            throw mismatch(where, path, "a name (a string)", value);
        }
        if (expected.isObject() && !value.isObject()) {
            throw mismatch(where, path, "a map of settings", value);
        }
        return value;
    }

    private static FrameworkException mismatch(String where, String path, String expected, JsonNode found) {
        return new FrameworkException(INVALID_CONFIG, "%s'%s' must be %s, found %s".formatted(where, path, expected,
                describe(found)));
    }

    /** A value as the user wrote it, with its kind where the kind is the problem. */
    private static String describe(JsonNode value) {
        if (value.isTextual()) {
            return "'" + value.asText() + "' (a string)";
        }
        if (value.isObject()) {
            return "a map " + value;
        }
        if (value.isArray()) {
            return "a list " + value;
        }
        if (value.isNull()) {
            return "no value";
        }
        if (value.isDouble() && !value.isIntegralNumber()) {
            double number = value.doubleValue();
            return Double.isNaN(number) ? ".nan" : Double.isInfinite(number) ? (number > 0 ? ".inf" : "-.inf")
                    : String.valueOf(number);
        }
        return value.toString();
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
