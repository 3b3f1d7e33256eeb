package io.thetalazy.experiments.config;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One cell of an experiment: the base configuration with one value of every axis applied.
 *
 * @param id the hash of the resolved configuration's canonical form ({@link CellIds})
 * @param axes the axis values of this cell as written, by dotted path, in the experiment's axis order
 * @param config the resolved configuration, every default written out
 */
public record Cell(String id, Map<String, String> axes, RunConfig config) {
    /** Longest readable prefix of a cell's folder name, before its id. */
    private static final int PREFIX_LENGTH = 80;

    public Cell {
        requireNonNull(id, "id is null");
        requireNonNull(config, "config is null");
        axes = Collections.unmodifiableMap(new LinkedHashMap<>(axes));
    }

    /** The label that leaves an axis out of group labels and folder names (one that a zipped axis already names). */
    public static final String HIDDEN = "-";

    /** The folder name: the axis values under their labels ({@code q-0.5_width-64}), then the id. */
    public String folderName(Map<String, String> labels) {
        List<String> parts = new ArrayList<>();
        axes.forEach((path, value) -> {
            if (!HIDDEN.equals(labels.get(path))) {
                parts.add(label(path, labels) + "-" + value);
            }
        });
        // whole parts only: a value cut short would name another cell (width-1 for width-16); the id stays unique
        StringBuilder prefix = new StringBuilder();
        for (String part : parts) {
            String clean = part.replaceAll("[^A-Za-z0-9._-]+", "");
            if (clean.isEmpty()) {
                continue;
            }
            if (prefix.length() + clean.length() + 1 > PREFIX_LENGTH) {
                break;
            }
            prefix.append(prefix.isEmpty() ? "" : "_").append(clean);
        }
        return prefix.isEmpty() ? "cell-" + id : prefix + "_" + id;
    }

    /**
     * Axis values as a group's name, {@code q=0.5, width=64}, axes labelled {@value #HIDDEN} left out; {@code all}
     * when nothing is left.
     */
    public static String describe(Map<String, String> values, Map<String, String> labels) {
        List<String> parts = new ArrayList<>();
        values.forEach((path, value) -> {
            if (!HIDDEN.equals(labels.get(path))) {
                parts.add(label(path, labels) + "=" + value);
            }
        });
        return parts.isEmpty() ? "all" : String.join(", ", parts);
    }

    /** An axis's short name: its label, or the last segment of its path ({@code rule.gamma} -> {@code gamma}). */
    public static String label(String path, Map<String, String> labels) {
        String label = labels.get(path);
        return label != null ? label : path.substring(path.lastIndexOf('.') + 1);
    }
}
