package io.thetalazy.experiments.config;

import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;

import com.fasterxml.jackson.databind.JsonNode;
import io.thetalazy.core.error.FrameworkException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A filter on cells: comparisons {@code PATH OP VALUE} of a cell's resolved settings (dotted paths, {@code ==},
 * {@code !=}, {@code <}, {@code <=}, {@code >}, {@code >=}), joined by {@code and} (binding first) and {@code or}.
 * "Antisymmetric only where gamma &lt;= 0.5" reads {@code antisymmetric == false or rule.gamma <= 0.5}. Numbers compare
 * as numbers, anything else as text; a named value ({@code rule}) compares by its name. A path a cell lacks makes
 * that comparison false.
 *
 * @param text the expression as written
 * @param anyOf the expression as alternatives of conjunctions
 */
public record Where(String text, List<List<Comparison>> anyOf) {
    private static final Pattern COMPARISON = Pattern.compile("\\s*([A-Za-z][A-Za-z0-9_.-]*)\\s*(==|!=|<=|>=|<|>)\\s*(\\S+)\\s*");

    public Where {
        anyOf = anyOf.stream().map(List::copyOf).toList();
    }

    /** One comparison of a setting with a value. */
    public record Comparison(String path, String operator, String value) {
        boolean test(JsonNode config) {
            JsonNode node = at(config, path);
            if (node == null) {
                return false;
            }
            Double left = number(node);
            Double right = number(value);
            if (left != null && right != null) {
                int order = Double.compare(left, right);
                return switch (operator) {
                    case "==" -> left.doubleValue() == right.doubleValue();
                    case "!=" -> left.doubleValue() != right.doubleValue();
                    case "<" -> order < 0;
                    case "<=" -> order <= 0;
                    case ">" -> order > 0;
                    default -> order >= 0;
                };
            }
            String text = node.isObject() ? node.path("name").asText() : node.asText();
            String expected = unquoted(value);
            return switch (operator) {
                case "==" -> text.equals(expected);
                case "!=" -> !text.equals(expected);
                default -> false;
            };
        }
    }

    /** Parses one expression; {@code where} names it in messages ({@code "exp.yaml line 9: where[0]"}). */
    public static Where parse(String text, String where) {
        List<List<Comparison>> alternatives = new ArrayList<>();
        for (String alternative : text.split("\\s+or\\s+", -1)) {
            List<Comparison> all = new ArrayList<>();
            for (String part : alternative.split("\\s+and\\s+", -1)) {
                Matcher matcher = COMPARISON.matcher(part);
                if (!matcher.matches()) {
                    throw new FrameworkException(INVALID_CONFIG, ("%s: cannot read '%s' in '%s': write comparisons PATH OP "
                            + "VALUE (OP one of == != < <= > >=) joined by 'and' or 'or', for example 'antisymmetric == "
                            + "false or rule.gamma <= 0.5'").formatted(where, part.trim(), text));
                }
                all.add(new Comparison(matcher.group(1), matcher.group(2), matcher.group(3)));
            }
            alternatives.add(all);
        }
        return new Where(text, alternatives);
    }

    /** Whether a cell's resolved settings (as a tree) pass the filter. */
    public boolean test(JsonNode config) {
        return anyOf.stream().anyMatch(all -> all.stream().allMatch(c -> c.test(config)));
    }

    /** Every path the expression reads. */
    public List<String> paths() {
        return anyOf.stream().flatMap(List::stream).map(Comparison::path).distinct().toList();
    }

    /** The node at a dotted path, or null; a named value written as a bare name has that name at {@code .name}. */
    static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        for (String segment : path.split("\\.")) {
            if (node != null && node.isTextual() && segment.equals("name")) {
                return node;
            }
            node = node == null || !node.isObject() ? null : node.get(segment);
        }
        return node;
    }

    private static Double number(JsonNode node) {
        return node.isNumber() ? node.doubleValue() : null;
    }

    private static Double number(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.equals(".inf")) {
            return Double.POSITIVE_INFINITY;
        }
        if (lower.equals("-.inf")) {
            return Double.NEGATIVE_INFINITY;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String unquoted(String text) {
        boolean quoted = text.length() >= 2 && (text.startsWith("'") && text.endsWith("'")
                || text.startsWith("\"") && text.endsWith("\""));
        return quoted ? text.substring(1, text.length() - 1) : text;
    }
}
