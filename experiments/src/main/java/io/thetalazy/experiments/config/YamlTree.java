package io.thetalazy.experiments.config;

import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thetalazy.core.error.FrameworkException;
import java.io.StringReader;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * YAML text as a Jackson tree, with the line of every key. Composed with SnakeYAML rather than read by Jackson so
 * that a key given twice is an error naming both lines (not "last wins"), {@code .inf} and {@code .nan} are numbers,
 * and a parse error is one line with its position. Scalars: {@code true}/{@code false} are booleans (not YAML 1.1's
 * yes/no/on/off), integers and floats are numbers, {@code ~} and empty values are null, anything else is a string.
 *
 * @param root the document, or null for an empty one (blank, or comments only)
 * @param lines the 1-based line of each key, by dotted path ({@code training.maxSteps})
 */
record YamlTree(JsonNode root, Map<String, Integer> lines) {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    static YamlTree parse(String text, String source) {
        Node document;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(true);   // found below, with both lines
            document = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            String where = e.getProblemMark() == null ? "" : " at line %d, column %d".formatted(
                    e.getProblemMark().getLine() + 1, e.getProblemMark().getColumn() + 1);
            throw new FrameworkException(INVALID_CONFIG, "%s is not valid YAML%s: %s".formatted(source, where,
                    e.getProblem() == null ? e.getClass().getSimpleName() : e.getProblem()));
        } catch (YAMLException e) {
            throw new FrameworkException(INVALID_CONFIG, "%s is not valid YAML: %s".formatted(source,
                    String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
        }
        Map<String, Integer> lines = new LinkedHashMap<>();
        JsonNode root = document == null ? null : convert(document, "", lines, source);
        return new YamlTree(root, lines);
    }

    /** The line of a key, for messages: {@code " line 3"}, or empty when unknown. */
    String at(String path) {
        Integer line = lines.get(path);
        return line == null ? "" : " line " + line;
    }

    private static JsonNode convert(Node node, String path, Map<String, Integer> lines, String source) {
        if (node instanceof MappingNode mapping) {
            ObjectNode object = NODES.objectNode();
            for (NodeTuple tuple : mapping.getValue()) {
                if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                    throw new FrameworkException(INVALID_CONFIG, "%s line %d: keys must be plain names, found a %s"
                            .formatted(source, line(tuple.getKeyNode()), kind(tuple.getKeyNode())));
                }
                String name = key.getValue();
                String child = path.isEmpty() ? name : path + "." + name;
                if (object.has(name)) {
                    throw new FrameworkException(INVALID_CONFIG, "%s: key '%s' is given twice, on lines %d and %d; "
                            .formatted(source, child, lines.get(child), line(key)) + "keep one");
                }
                lines.put(child, line(key));
                object.set(name, convert(tuple.getValueNode(), child, lines, source));
            }
            return object;
        }
        if (node instanceof SequenceNode sequence) {
            ArrayNode array = NODES.arrayNode();
            int index = 0;
            for (Node item : sequence.getValue()) {
                array.add(convert(item, path + "[" + index++ + "]", lines, source));
            }
            return array;
        }
        return scalar((ScalarNode) node);
    }

    private static JsonNode scalar(ScalarNode node) {
        String value = node.getValue();
        Tag tag = node.getTag();
        if (Tag.NULL.equals(tag)) {
            return NODES.nullNode();
        }
        if (Tag.BOOL.equals(tag)) {
            String lower = value.toLowerCase(Locale.ROOT);
            return lower.equals("true") || lower.equals("false") ? NODES.booleanNode(lower.equals("true"))
                    : NODES.textNode(value);
        }
        if (Tag.INT.equals(tag)) {
            BigInteger integer = integer(value);
            if (integer != null) {
                return integer.bitLength() < 64 ? NODES.numberNode(integer.longValue()) : NODES.numberNode(integer);
            }
            return NODES.textNode(value);
        }
        if (Tag.FLOAT.equals(tag)) {
            String lower = value.toLowerCase(Locale.ROOT).replace("_", "");
            return switch (lower) {
                case ".inf", "+.inf" -> NODES.numberNode(Double.POSITIVE_INFINITY);
                case "-.inf" -> NODES.numberNode(Double.NEGATIVE_INFINITY);
                case ".nan" -> NODES.numberNode(Double.NaN);
                default -> {
                    try {
                        yield NODES.numberNode(Double.parseDouble(lower));
                    } catch (NumberFormatException e) {
                        yield NODES.textNode(value);   // YAML 1.1 forms such as 1:30.5 stay strings
                    }
                }
            };
        }
        return NODES.textNode(value);
    }

    /** Decimal, 0x hexadecimal and 0o/0b forms, with underscores; null for YAML 1.1's sexagesimal and the like. */
    private static BigInteger integer(String value) {
        String text = value.replace("_", "");
        boolean negative = text.startsWith("-");
        if (negative || text.startsWith("+")) {
            text = text.substring(1);
        }
        int radix = 10;
        if (text.startsWith("0x")) {
            radix = 16;
            text = text.substring(2);
        } else if (text.startsWith("0o")) {
            radix = 8;
            text = text.substring(2);
        } else if (text.startsWith("0b")) {
            radix = 2;
            text = text.substring(2);
        }
        try {
            BigInteger integer = new BigInteger(text, radix);
            return negative ? integer.negate() : integer;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    private static String kind(Node node) {
        return node instanceof MappingNode ? "map" : node instanceof SequenceNode ? "list" : "value";
    }
}
