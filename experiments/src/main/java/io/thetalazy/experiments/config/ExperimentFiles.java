package io.thetalazy.experiments.config;

import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableSet;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.error.Suggestions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads experiment files:
 * <pre>
 * name: quickstart                      # optional (the file's name)
 * description: what it does             # optional
 * base: {width: 64, depth: 3, ...}      # a run config (train's schema), or the path of one
 * axes: {width: [64, 128], rule.gamma: [0.5, 0.0]}    # dotted paths of that schema to lists of values
 * zip: [[width, seed]]                  # optional: axes that vary together (equal lengths)
 * where: ["antisymmetric == false or rule.gamma &lt;= 0.5"]   # optional filters ({@link Where})
 * labels: {rule.gamma: q}               # optional short names for tables and folder names
 * report: [rd-vs-width]                 # optional: report items (default: rd-vs-width when width is an axis)
 * claims: [{text: ..., where: ..., observable: rd-1, expect: linear}]
 * analyses: []                          # reserved for the analyses over cells
 * </pre>
 * Cells are the product of the axes (zip groups count as one axis), the first axis varying slowest. Each cell's
 * configuration is the base with its axis values set, checked by the same strict merge as {@code train}'s configs:
 * every error names the file, the line and the key, before any cell runs.
 */
public final class ExperimentFiles {
    private static final Set<String> KEYS = ImmutableSet.of("name", "description", "base", "axes", "zip", "where",
            "labels", "report", "claims", "analyses", "sizes");
    private static final Set<String> SIZE_KEYS = ImmutableSet.of("axes", "base");
    private static final Set<String> CLAIM_KEYS = ImmutableSet.of("text", "where", "observable", "expect");
    /** Sections whose value may be a bare name ({@code rule: ntk}) that a dotted path turns into a map. */
    private static final Set<String> NAMED = ImmutableSet.of("activation", "rule", "data");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ExperimentFiles() {}

    /**
     * Values set over the file's: axes replaced (by path) and base settings set (by dotted path), over those of the
     * chosen size.
     *
     * @param size one of the file's {@code sizes}, or null for its default ({@value #DEFAULT_SIZE} when it has one)
     */
    public record Overrides(Map<String, List<Object>> axes, Map<String, Object> base, String size) {
        public static final Overrides NONE = new Overrides(Map.of(), Map.of(), null);

        public Overrides {
            axes = new LinkedHashMap<>(axes);
            base = new LinkedHashMap<>(base);
        }

        public Overrides(Map<String, List<Object>> axes, Map<String, Object> base) {
            this(axes, base, null);
        }
    }

    /** The size an experiment with {@code sizes} runs at when none is asked for. */
    public static final String DEFAULT_SIZE = "small";

    public static Experiment read(Path file) {
        return read(file, Overrides.NONE);
    }

    public static Experiment read(Path file, Overrides overrides) {
        Path folder = file.toAbsolutePath().getParent();
        return parse(ConfigFiles.text(file), file.toString(), folder == null ? Path.of(".") : folder, overrides);
    }

    /**
     * Parses an experiment file's text; {@code source} names it in messages, {@code folder} is where a base given as
     * a path is looked for.
     */
    public static Experiment parse(String text, String source, Path folder, Overrides given) {
        YamlTree tree = YamlTree.parse(text, source);
        if (tree.root() == null || !tree.root().isObject()) {
            throw new FrameworkException(INVALID_CONFIG, "%s must be a map with 'base' and 'axes', found %s"
                    .formatted(source, tree.root() == null ? "no settings" : tree.root()));
        }
        ObjectNode root = (ObjectNode) tree.root();
        root.fieldNames().forEachRemaining(key -> {
            if (!KEYS.contains(key)) {
                throw error(source, tree, key, "unknown key '%s'%s; valid keys: %s".formatted(key,
                        Suggestions.didYouMean(key, KEYS), KEYS));
            }
        });
        String name = text(root, "name", source, tree, Path.of(source).getFileName().toString()
                .replaceFirst("\\.ya?ml$", ""));
        String description = text(root, "description", source, tree, "");
        String size = size(root, given.size(), source, tree);
        Overrides overrides = size == null ? given
                : withSize((ObjectNode) root.get("sizes").get(size), given, source + ": sizes." + size);

        // the base: its settings as written, and the lines of those written in this file
        ObjectNode base;
        Map<String, Integer> lines = new LinkedHashMap<>();
        JsonNode baseNode = root.path("base");
        if (baseNode.isMissingNode()) {
            base = NODES.objectNode();
        } else if (baseNode.isTextual()) {
            Path baseFile = folder.resolve(baseNode.asText());
            YamlTree baseTree = YamlTree.parse(ConfigFiles.text(baseFile), baseFile.toString());
            ConfigFiles.resolve(baseTree, baseFile.toString());   // its own errors name its own file
            base = baseTree.root() == null ? NODES.objectNode() : (ObjectNode) baseTree.root();
        } else if (baseNode.isObject()) {
            base = (ObjectNode) baseNode.deepCopy();
            tree.lines().forEach((path, line) -> {
                if (path.startsWith("base.")) {
                    lines.put(path.substring("base.".length()), line);
                }
            });
        } else {
            throw error(source, tree, "base", "'base' must be a run config (a map of settings) or the path of one, "
                    + "found " + baseNode);
        }
        ObjectNode defaults = ConfigFiles.yaml().valueToTree(RunConfig.defaults());
        overrides.base().forEach((path, value) -> set(base, path, ConfigFiles.yaml().valueToTree(value), defaults,
                source + ": " + path));

        // the axes and their values
        Map<String, List<JsonNode>> axes = new LinkedHashMap<>();
        JsonNode axesNode = root.path("axes");
        if (!axesNode.isMissingNode() && !axesNode.isObject()) {
            throw error(source, tree, "axes", "'axes' must be a map from dotted paths of the run config to lists of "
                    + "values, found " + axesNode);
        }
        axesNode.fields().forEachRemaining(entry -> {
            String path = entry.getKey();
            List<JsonNode> values = new ArrayList<>();
            if (overrides.axes().containsKey(path)) {
                overrides.axes().get(path).forEach(v -> values.add(ConfigFiles.yaml().valueToTree(v)));
            } else {
                if (!entry.getValue().isArray() || entry.getValue().isEmpty()) {
                    throw error(source, tree, "axes." + path, "axis '%s' must be a non-empty list of values, found %s"
                            .formatted(path, entry.getValue()));
                }
                entry.getValue().forEach(values::add);
            }
            axes.put(path, values);
        });
        for (String path : overrides.axes().keySet()) {
            if (!axes.containsKey(path)) {
                throw new FrameworkException(INVALID_CONFIG, "%s has no axis '%s' to replace%s; axes: %s"
                        .formatted(source, path, Suggestions.didYouMean(path, axes.keySet()), axes.keySet()));
            }
        }
        Map<String, String> labels = labels(root, axes.keySet(), source, tree);
        List<List<String>> dimensions = dimensions(root, axes, source, tree);

        // the cells: the product of the dimensions, the first slowest
        List<Map<String, JsonNode>> combinations = new ArrayList<>();
        combine(dimensions, axes, 0, new LinkedHashMap<>(), combinations);
        List<Cell> all = new ArrayList<>();
        List<JsonNode> trees = new ArrayList<>();
        Map<String, Map<String, String>> seen = new LinkedHashMap<>();
        for (Map<String, JsonNode> combination : combinations) {
            ObjectNode user = base.deepCopy();
            Map<String, Integer> cellLines = new LinkedHashMap<>(lines);
            Map<String, String> values = new LinkedHashMap<>();
            for (String path : axes.keySet()) {
                JsonNode value = combination.get(path);
                set(user, path, value, defaults, source + tree.at("axes." + path) + ": axis '" + path + "'");
                Integer line = tree.lines().get("axes." + path);
                if (line != null) {
                    cellLines.put(path, line);
                }
                values.put(path, value.isValueNode() ? value.asText() : value.toString());
            }
            RunConfig config = ConfigFiles.resolve(new YamlTree(user, cellLines), source);
            Cell cell = new Cell(CellIds.of(config), values, config);
            Map<String, String> earlier = seen.putIfAbsent(cell.id(), values);
            if (earlier != null) {
                throw new FrameworkException(INVALID_CONFIG, "%s: the axis values %s and %s give the same configuration "
                        .formatted(source, earlier, values) + "(cell %s); list each value once".formatted(cell.id()));
            }
            all.add(cell);
            trees.add(ConfigFiles.yaml().valueToTree(config));
        }
        List<Where> filters = filters(root.path("where"), "where", source, tree);
        checkPaths(filters, trees, source);
        List<Cell> cells = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            JsonNode config = trees.get(i);
            if (filters.stream().allMatch(w -> w.test(config))) {
                cells.add(all.get(i));
            }
        }
        if (cells.isEmpty()) {
            throw new FrameworkException(INVALID_CONFIG, "%s: no cell passes the 'where' filters (%d cells before them)"
                    .formatted(source, all.size()));
        }
        List<AnalysisSpec> analyses = analyses(root, axes.keySet(), source, tree);
        List<String> report = report(root, analyses, source, tree);
        List<Experiment.Claim> claims = claims(root.path("claims"), source, tree, trees);
        return new Experiment(name, description, size, List.copyOf(axes.keySet()), labels, analyses, report, claims,
                cells, root);
    }

    /**
     * The resolved experiment as YAML: its name, description and axes, the file's settings as written
     * ({@code definition}), and every cell with its id, folder, axis values and full configuration.
     */
    public static String resolvedYaml(Experiment experiment) {
        ObjectNode root = NODES.objectNode();
        root.put("name", experiment.name());
        root.put("description", experiment.description());
        if (experiment.size() != null) {
            root.put("size", experiment.size());
        }
        experiment.axes().forEach(root.putArray("axes")::add);
        root.set("definition", experiment.definition());
        var cells = root.putArray("cells");
        for (Cell cell : experiment.cells()) {
            ObjectNode node = cells.addObject();
            node.put("id", cell.id());
            node.put("folder", cell.folderName(experiment.labels()));
            ObjectNode axes = node.putObject("axes");
            cell.axes().forEach(axes::put);
            node.set("config", ConfigFiles.yaml().valueToTree(cell.config()));
        }
        try {
            return ConfigFiles.yaml().writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a resolved experiment ({@link #resolvedYaml}) back; each cell's id is checked against its config. */
    public static Experiment readResolved(Path file) {
        String source = file.toString();
        YamlTree tree = YamlTree.parse(ConfigFiles.text(file), source);
        JsonNode root = tree.root();
        if (root == null || !root.isObject() || !root.path("cells").isArray() || !root.path("definition").isObject()) {
            throw new FrameworkException(io.thetalazy.core.error.ErrorCode.INVALID_FILE, source
                    + " is not a resolved experiment (it needs 'definition' and 'cells')");
        }
        ObjectNode definition = (ObjectNode) root.get("definition");
        List<String> axes = new ArrayList<>();
        root.path("axes").forEach(a -> axes.add(a.asText()));
        List<Cell> cells = new ArrayList<>();
        List<JsonNode> trees = new ArrayList<>();
        for (JsonNode node : root.get("cells")) {
            RunConfig config = ConfigFiles.resolve(new YamlTree(node.path("config").deepCopy(), Map.of()), source);
            String id = node.path("id").asText();
            if (!CellIds.of(config).equals(id)) {
                throw new FrameworkException(io.thetalazy.core.error.ErrorCode.INVALID_FILE, "%s: cell %s's config "
                        .formatted(source, id) + "does not hash to its id (%s): the file was edited".formatted(
                        CellIds.of(config)));
            }
            Map<String, String> values = new LinkedHashMap<>();
            node.path("axes").fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
            cells.add(new Cell(id, values, config));
            trees.add(ConfigFiles.yaml().valueToTree(config));
        }
        Set<String> axisSet = new LinkedHashSet<>(axes);
        List<AnalysisSpec> analyses = analyses(definition, axisSet, source, tree);
        return new Experiment(root.path("name").asText(), root.path("description").asText(),
                root.path("size").isTextual() ? root.path("size").asText() : null, axes,
                labels(definition, axisSet, source, tree), analyses, report(definition, analyses, source, tree),
                claims(definition.path("claims"), source, tree, trees), cells, definition);
    }

    /** Sets the value at a dotted path, creating sections on the way (a bare name becomes {name: ...}). */
    private static void set(ObjectNode root, String path, JsonNode value, ObjectNode defaults, String where) {
        String[] segments = path.split("\\.", -1);
        ObjectNode node = root;
        JsonNode defaultNode = defaults;
        for (int i = 0; i < segments.length - 1; i++) {
            String segment = segments[i];
            if (segment.isEmpty()) {
                throw new FrameworkException(INVALID_CONFIG, where + ": the path has an empty segment");
            }
            defaultNode = defaultNode == null ? null : defaultNode.get(segment);
            JsonNode child = node.get(segment);
            if (child == null) {
                boolean named = defaultNode != null && defaultNode.isTextual() && NAMED.contains(segment);
                child = named ? named(defaultNode.asText())
                        : defaultNode != null && defaultNode.isValueNode() ? defaultNode : NODES.objectNode();
                if (child.isObject()) {
                    node.set(segment, child);
                }
            } else if (child.isTextual() && NAMED.contains(segment)) {
                child = named(child.asText());
                node.set(segment, child);
            }
            if (!child.isObject()) {
                throw new FrameworkException(INVALID_CONFIG, "%s: '%s' is a value (%s), not a section with settings"
                        .formatted(where, String.join(".", List.of(segments).subList(0, i + 1)), child));
            }
            node = (ObjectNode) child;
        }
        node.set(segments[segments.length - 1], value.deepCopy());
    }

    private static ObjectNode named(String name) {
        ObjectNode named = NODES.objectNode();
        named.put("name", name);
        return named;
    }

    /** Zip groups count as one dimension each, placed at their first axis; every other axis is its own. */
    private static List<List<String>> dimensions(ObjectNode root, Map<String, List<JsonNode>> axes, String source,
            YamlTree tree) {
        Map<String, List<String>> groupOf = new LinkedHashMap<>();
        JsonNode zip = root.path("zip");
        if (!zip.isMissingNode()) {
            if (!zip.isArray()) {
                throw error(source, tree, "zip", "'zip' must be a list of groups of axes ([[width, seed]]), found " + zip);
            }
            for (JsonNode group : zip) {
                if (!group.isArray() || group.size() < 2) {
                    throw error(source, tree, "zip", "each zip group must list two or more axes, found " + group);
                }
                List<String> members = new ArrayList<>();
                for (JsonNode member : group) {
                    String axis = member.asText();
                    if (!axes.containsKey(axis)) {
                        throw error(source, tree, "zip", "zip names '%s', which is not an axis%s; axes: %s".formatted(
                                axis, Suggestions.didYouMean(axis, axes.keySet()), axes.keySet()));
                    }
                    if (groupOf.containsKey(axis) || members.contains(axis)) {
                        throw error(source, tree, "zip", "axis '%s' is in more than one zip group".formatted(axis));
                    }
                    members.add(axis);
                }
                int size = axes.get(members.get(0)).size();
                for (String member : members) {
                    if (axes.get(member).size() != size) {
                        throw error(source, tree, "zip", "zipped axes vary together and need as many values each: "
                                + "'%s' has %d, '%s' has %d".formatted(members.get(0), size, member,
                                axes.get(member).size()));
                    }
                    groupOf.put(member, members);
                }
            }
        }
        Set<List<String>> dimensions = new LinkedHashSet<>();
        for (String axis : axes.keySet()) {
            dimensions.add(groupOf.getOrDefault(axis, List.of(axis)));
        }
        return List.copyOf(dimensions);
    }

    private static void combine(List<List<String>> dimensions, Map<String, List<JsonNode>> axes, int at,
            Map<String, JsonNode> current, List<Map<String, JsonNode>> into) {
        if (at == dimensions.size()) {
            into.add(new LinkedHashMap<>(current));
            return;
        }
        List<String> dimension = dimensions.get(at);
        int size = axes.get(dimension.get(0)).size();
        for (int i = 0; i < size; i++) {
            for (String axis : dimension) {
                current.put(axis, axes.get(axis).get(i));
            }
            combine(dimensions, axes, at + 1, current, into);
        }
        dimension.forEach(current::remove);
    }

    private static List<Where> filters(JsonNode node, String key, String source, YamlTree tree) {
        if (node.isMissingNode()) {
            return List.of();
        }
        List<JsonNode> items = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(items::add);
        } else {
            items.add(node);
        }
        List<Where> filters = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (!items.get(i).isTextual()) {
                throw error(source, tree, key, "'%s' must be a filter such as 'rule.gamma <= 0.5' or a list of them, "
                        .formatted(key) + "found " + items.get(i));
            }
            filters.add(Where.parse(items.get(i).asText(), source + tree.at(key) + ": " + key
                    + (node.isArray() ? "[" + i + "]" : "")));
        }
        return filters;
    }

    /** A filter's paths must be settings some cell has (a misspelt path would silently drop every cell). */
    private static void checkPaths(List<Where> filters, List<JsonNode> trees, String source) {
        Set<String> known = new HashSet<>();
        trees.forEach(t -> paths(t, "", known));
        for (Where filter : filters) {
            for (String path : filter.paths()) {
                if (trees.stream().noneMatch(t -> Where.at(t, path) != null)) {
                    throw new FrameworkException(INVALID_CONFIG, "%s: filter '%s' reads '%s', which no cell has%s"
                            .formatted(source, filter.text(), path, Suggestions.didYouMean(path, known)));
                }
            }
        }
    }

    private static void paths(JsonNode node, String prefix, Set<String> into) {
        node.fields().forEachRemaining(entry -> {
            String path = prefix + entry.getKey();
            into.add(path);
            paths(entry.getValue(), path + ".", into);
        });
    }

    private static Map<String, String> labels(ObjectNode root, Set<String> axes, String source, YamlTree tree) {
        Map<String, String> labels = new LinkedHashMap<>();
        JsonNode node = root.path("labels");
        if (node.isMissingNode()) {
            return labels;
        }
        if (!node.isObject()) {
            throw error(source, tree, "labels", "'labels' must map axes to short names ({rule.gamma: q}), found " + node);
        }
        node.fields().forEachRemaining(entry -> {
            if (!axes.contains(entry.getKey())) {
                throw error(source, tree, "labels." + entry.getKey(), "label for '%s', which is not an axis%s; axes: %s"
                        .formatted(entry.getKey(), Suggestions.didYouMean(entry.getKey(), axes), axes));
            }
            if (!entry.getValue().isTextual() || entry.getValue().asText().isBlank()) {
                throw error(source, tree, "labels." + entry.getKey(), "a label must be a name, found " + entry.getValue());
            }
            labels.put(entry.getKey(), entry.getValue().asText());
        });
        return labels;
    }

    /** The size asked for (checked against the file's), the default one, or null when the file has no sizes. */
    private static String size(ObjectNode root, String asked, String source, YamlTree tree) {
        JsonNode sizes = root.path("sizes");
        if (sizes.isMissingNode()) {
            if (asked != null) {
                throw new FrameworkException(INVALID_CONFIG, "%s has no sizes; run it without --size".formatted(source));
            }
            return null;
        }
        if (!sizes.isObject() || sizes.isEmpty()) {
            throw error(source, tree, "sizes", "'sizes' must map size names (ci, small, paper) to {axes: ..., base: "
                    + "...}, found " + sizes);
        }
        List<String> names = new ArrayList<>();
        sizes.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode size = sizes.get(name);
            if (!size.isObject()) {
                throw error(source, tree, "sizes." + name, "size '%s' must be a map with 'axes' and 'base', found %s"
                        .formatted(name, size));
            }
            size.fieldNames().forEachRemaining(key -> {
                if (!SIZE_KEYS.contains(key)) {
                    throw error(source, tree, "sizes." + name, "size '%s': unknown key '%s'%s; valid keys: %s"
                            .formatted(name, key, Suggestions.didYouMean(key, SIZE_KEYS), SIZE_KEYS));
                }
            });
            if (size.has("axes") && !size.get("axes").isObject() || size.has("base") && !size.get("base").isObject()) {
                throw error(source, tree, "sizes." + name, "size '%s': 'axes' and 'base' must be maps of dotted paths"
                        .formatted(name));
            }
        }
        String chosen = asked != null ? asked : names.contains(DEFAULT_SIZE) ? DEFAULT_SIZE : names.get(0);
        if (!names.contains(chosen)) {
            throw new FrameworkException(INVALID_CONFIG, "%s has no size '%s'%s; sizes: %s".formatted(source, chosen,
                    Suggestions.didYouMean(chosen, names), String.join(", ", names)));
        }
        return chosen;
    }

    /** The size's axes and base settings, under those given on the command line. */
    private static Overrides withSize(ObjectNode size, Overrides given, String where) {
        Map<String, List<Object>> axes = new LinkedHashMap<>();
        size.path("axes").fields().forEachRemaining(entry -> {
            if (!entry.getValue().isArray() || entry.getValue().isEmpty()) {
                throw new FrameworkException(INVALID_CONFIG, "%s: axis '%s' must be a non-empty list of values, found %s"
                        .formatted(where, entry.getKey(), entry.getValue()));
            }
            List<Object> values = new ArrayList<>();
            entry.getValue().forEach(v -> values.add(ConfigFiles.yaml().convertValue(v, Object.class)));
            axes.put(entry.getKey(), values);
        });
        Map<String, Object> base = new LinkedHashMap<>();
        size.path("base").fields().forEachRemaining(entry -> base.put(entry.getKey(),
                ConfigFiles.yaml().convertValue(entry.getValue(), Object.class)));
        axes.putAll(given.axes());
        base.putAll(given.base());
        return new Overrides(axes, base, given.size());
    }

    /**
     * The analyses: each a name or a map {name: ..., setting: value}; default rd-vs-width when width is an axis. The
     * names and settings are checked against the analyses there are when the experiment is run.
     */
    private static List<AnalysisSpec> analyses(ObjectNode root, Set<String> axes, String source, YamlTree tree) {
        JsonNode node = root.path("analyses");
        List<AnalysisSpec> specs = new ArrayList<>();
        if (node.isMissingNode()) {
            if (axes.contains("width")) {
                specs.add(AnalysisSpec.of("rd-vs-width"));
            }
        } else if (!node.isArray()) {
            throw error(source, tree, "analyses", "'analyses' must be a list of names or of {name: ..., settings}, "
                    + "found " + node);
        } else {
            for (JsonNode item : node) {
                if (item.isTextual()) {
                    specs.add(AnalysisSpec.of(item.asText()));
                } else if (item.isObject() && item.path("name").isTextual()) {
                    Map<String, JsonNode> settings = new LinkedHashMap<>();
                    item.fields().forEachRemaining(e -> {
                        if (!e.getKey().equals("name")) {
                            settings.put(e.getKey(), e.getValue());
                        }
                    });
                    specs.add(new AnalysisSpec(item.get("name").asText(), settings));
                } else {
                    throw error(source, tree, "analyses", "an analysis is a name or a map with 'name', found " + item);
                }
            }
        }
        // report items not among the analyses run with their defaults
        JsonNode report = root.path("report");
        if (report.isArray()) {
            for (JsonNode item : report) {
                if (specs.stream().noneMatch(s -> s.name().equals(item.asText()))) {
                    specs.add(AnalysisSpec.of(item.asText()));
                }
            }
        }
        return specs;
    }

    /** The analyses whose sections the report shows, in order: {@code report:}, or every analysis. */
    private static List<String> report(ObjectNode root, List<AnalysisSpec> analyses, String source, YamlTree tree) {
        JsonNode node = root.path("report");
        if (node.isMissingNode()) {
            return analyses.stream().map(AnalysisSpec::name).toList();
        }
        if (!node.isArray()) {
            throw error(source, tree, "report", "'report' must be a list of analysis names, found " + node);
        }
        List<String> items = new ArrayList<>();
        node.forEach(item -> items.add(item.asText()));
        return items;
    }

    private static List<Experiment.Claim> claims(JsonNode node, String source, YamlTree tree, List<JsonNode> trees) {
        if (node.isMissingNode()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw error(source, tree, "claims", "'claims' must be a list of {text, where, observable, expect}, found "
                    + node);
        }
        List<Experiment.Claim> claims = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode claim = node.get(i);
            String key = "claims[%d]".formatted(i);
            if (!claim.isObject() || !claim.path("text").isTextual() || !claim.path("expect").isTextual()) {
                throw error(source, tree, "claims", "%s needs 'text' and 'expect' (one of %s), found %s".formatted(key,
                        Experiment.Claim.EXPECTATIONS, claim));
            }
            claim.fieldNames().forEachRemaining(field -> {
                if (!CLAIM_KEYS.contains(field)) {
                    throw error(source, tree, "claims", "%s: unknown key '%s'%s; valid keys: %s".formatted(key, field,
                            Suggestions.didYouMean(field, CLAIM_KEYS), CLAIM_KEYS));
                }
            });
            String expect = claim.path("expect").asText();
            if (!Experiment.Claim.EXPECTATIONS.contains(expect)) {
                throw error(source, tree, "claims", "%s: expect '%s'%s; one of %s".formatted(key, expect,
                        Suggestions.didYouMean(expect, Experiment.Claim.EXPECTATIONS), Experiment.Claim.EXPECTATIONS));
            }
            String observable = claim.path("observable").asText("rd-1");
            if (!observable.matches("rd|rd-max|rd-[1-9][0-9]*")) {
                throw error(source, tree, "claims", "%s: observable '%s' must be rd, rd-max or rd-<layer>".formatted(
                        key, observable));
            }
            if (!claim.path("where").isMissingNode() && !claim.path("where").isTextual()) {
                throw error(source, tree, "claims", "%s: 'where' must be one filter such as 'rule.gamma > 0'".formatted(key));
            }
            List<Where> where = filters(claim.path("where"), key + ".where", source, tree);
            checkPaths(where, trees, source);
            claims.add(new Experiment.Claim(claim.path("text").asText(), where.isEmpty() ? null : where.get(0),
                    observable, expect));
        }
        return claims;
    }

    private static String text(ObjectNode root, String key, String source, YamlTree tree, String otherwise) {
        JsonNode node = root.path(key);
        if (node.isMissingNode()) {
            return otherwise;
        }
        if (!node.isTextual()) {
            throw error(source, tree, key, "'%s' must be text, found %s".formatted(key, node));
        }
        return node.asText();
    }

    private static FrameworkException error(String source, YamlTree tree, String key, String message) {
        return new FrameworkException(INVALID_CONFIG, source + tree.at(key) + ": " + message);
    }
}
