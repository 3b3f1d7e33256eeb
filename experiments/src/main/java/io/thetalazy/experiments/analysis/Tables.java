package io.thetalazy.experiments.analysis;

import static io.thetalazy.core.error.ErrorCode.INVALID_FILE;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.experiments.report.OutputFolder;
import io.thetalazy.experiments.report.Plots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What analyses share to write their tables and figures. */
final class Tables {
    private Tables() {}

    static String number(double value) {
        return String.format(Locale.ROOT, "%.6g", value).trim();
    }

    static String csvField(String value) {
        return value.contains(",") || value.contains("\"") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }

    /**
     * A log-log figure with fits, replacing an earlier report's; false (and no file) when no series has a point, so a
     * rebuilt report never shows a stale figure.
     */
    static boolean figure(Path file, String title, String xLabel, String yLabel, List<Plots.FitSeries> series) {
        delete(file);
        Plots.logLogFits(file, title, xLabel, yLabel, series);
        return Files.exists(file);
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new FrameworkException(INVALID_FILE, "cannot replace %s: %s".formatted(file, OutputFolder.reason(e)),
                    e);
        }
    }

    /**
     * A CSV file this package wrote, as rows of column to value (quoted fields unquoted); empty when the file is
     * absent or unreadable.
     */
    static List<java.util.Map<String, String>> readCsv(Path file) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            List<String> lines = Files.readAllLines(file);
            if (lines.isEmpty()) {
                return List.of();
            }
            List<String> header = List.of(fields(lines.get(0)));
            List<java.util.Map<String, String>> rows = new java.util.ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] values = fields(line);
                java.util.Map<String, String> row = new java.util.LinkedHashMap<>();
                for (int i = 0; i < header.size(); i++) {
                    row.put(header.get(i), i < values.length ? values[i] : "");
                }
                rows.add(row);
            }
            return rows;
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String[] fields(String line) {
        String[] fields = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1);
        for (int i = 0; i < fields.length; i++) {
            if (fields[i].length() >= 2 && fields[i].startsWith("\"") && fields[i].endsWith("\"")) {
                fields[i] = fields[i].substring(1, fields[i].length() - 1).replace("\"\"", "\"");
            }
        }
        return fields;
    }

    /** A number of a CSV field, NaN when empty or not a number. */
    static double parse(String text) {
        try {
            return text == null || text.isEmpty() ? Double.NaN : Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
