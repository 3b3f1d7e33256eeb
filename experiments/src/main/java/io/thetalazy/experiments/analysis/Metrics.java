package io.thetalazy.experiments.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** A run folder's metrics.csv as columns (docs/formats.md#metrics); empty when the file is missing or unreadable. */
record Metrics(List<String> header, List<double[]> rows) {
    Metrics {
        header = List.copyOf(header);
        rows = List.copyOf(rows);
    }

    static Optional<Metrics> read(Path runFolder) {
        Path file = runFolder.resolve("metrics.csv");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(file);
            if (lines.isEmpty()) {
                return Optional.empty();
            }
            List<String> header = Arrays.asList(lines.get(0).split(",", -1));
            List<double[]> rows = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.split(",", -1);
                double[] row = new double[header.size()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = i < fields.length && !fields[i].isEmpty() ? Double.parseDouble(fields[i]) : Double.NaN;
                }
                rows.add(row);
            }
            return Optional.of(new Metrics(header, rows));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
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
