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
}
