package io.thetalazy.experiments.analysis;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A run folder's metrics.csv as columns (docs/formats.md#metrics); empty when the file is missing or unreadable. */
record Metrics(List<String> header, List<double[]> rows) {
    Metrics {
        header = List.copyOf(header);
        rows = List.copyOf(rows);
    }

    static Optional<Metrics> read(Path runFolder) {
        List<java.util.Map<String, String>> table = Tables.readCsv(runFolder.resolve("metrics.csv"));
        if (table.isEmpty()) {
            return Optional.empty();
        }
        List<String> header = List.copyOf(table.get(0).keySet());
        List<double[]> rows = new ArrayList<>();
        for (java.util.Map<String, String> row : table) {
            rows.add(header.stream().mapToDouble(column -> Tables.parse(row.get(column))).toArray());
        }
        return Optional.of(new Metrics(header, rows));
    }

    boolean has(String column) {
        return header.contains(column);
    }

    /** A column's values, in row order. */
    double[] column(String name) {
        int index = header.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("metrics.csv has no column " + name);
        }
        return rows.stream().mapToDouble(row -> row[index]).toArray();
    }

    /** The column's last finite value, NaN if none. */
    double last(String name) {
        double[] values = column(name);
        for (int i = values.length - 1; i >= 0; i--) {
            if (Double.isFinite(values[i])) {
                return values[i];
            }
        }
        return Double.NaN;
    }
}
