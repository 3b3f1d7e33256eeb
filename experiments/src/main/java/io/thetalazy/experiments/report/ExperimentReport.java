package io.thetalazy.experiments.report;

import static io.thetalazy.core.error.ErrorCode.INVALID_FILE;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.experiments.analysis.ClaimChecks;
import io.thetalazy.experiments.analysis.WidthScaling;
import io.thetalazy.experiments.config.Cell;
import io.thetalazy.experiments.config.Experiment;
import io.thetalazy.experiments.sweep.CellResult;
import io.thetalazy.experiments.sweep.ResultStore;
import io.thetalazy.kernels.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.Image;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * The report of an experiment folder, built from its store alone (so {@code thetalazy report DIR} rebuilds it):
 * {@value #MARKDOWN} with the description, the cells by status, the report items' tables and figures, and each claim
 * with the measurements that support or contradict it; {@value #HTML}, the same page with its figures embedded; and
 * the items' own files ({@code slopes.csv}, PNG figures).
 */
public final class ExperimentReport {
    public static final String MARKDOWN = "report.md";
    public static final String HTML = "report.html";
    public static final String SLOPES = "slopes.csv";

    private ExperimentReport() {}

    /** What the report found: the width groups and the claims' checks. */
    public record Summary(List<WidthScaling.Group> groups, List<ClaimChecks.Check> checks, Map<String, Long> statuses) {}

    /** Writes the report of {@code results} (every cell of the store's experiment) and returns what it found. */
    public static Summary write(ResultStore store, Map<Cell, CellResult> results) {
        Experiment experiment = store.experiment();
        Path folder = store.folder();
        List<WidthScaling.Group> groups = WidthScaling.groups(experiment, results);
        List<ClaimChecks.Check> checks = experiment.claims().stream().map(c -> ClaimChecks.check(c, groups)).toList();
        Map<String, Long> statuses = new LinkedHashMap<>();
        results.values().forEach(r -> statuses.merge(r.status(), 1L, Long::sum));

        StringBuilder md = new StringBuilder("# " + experiment.name() + "\n\n");
        if (!experiment.description().isBlank()) {
            md.append(experiment.description().strip()).append("\n\n");
        }
        md.append("%d cells over %s: %s. Every cell's row: %s; its files: %s/; what ran them: %s.\n\n".formatted(
                results.size(), experiment.axes().isEmpty() ? "no axes" : String.join(", ", experiment.axes()),
                statusText(statuses), ResultStore.CELLS, ResultStore.CELL_FOLDERS, ResultStore.PROVENANCE));
        if (experiment.report().contains("rd-vs-width")) {
            rdVsWidth(md, folder, groups);
        }
        if (!checks.isEmpty()) {
            claims(md, checks);
        }
        failed(md, experiment, results);
        AtomicFiles.writeString(folder.resolve(MARKDOWN), md.toString());
        AtomicFiles.writeString(folder.resolve(HTML), html(experiment.name(), md.toString(), folder));
        return new Summary(groups, checks, statuses);
    }

    /** {@code 10 converged, 2 diverged}. */
    public static String statusText(Map<String, Long> statuses) {
        List<String> parts = new ArrayList<>();
        statuses.forEach((status, count) -> parts.add(count + " " + status));
        return String.join(", ", parts);
    }

    private static void rdVsWidth(StringBuilder md, Path folder, List<WidthScaling.Group> groups) {
        int layers = groups.stream().mapToInt(WidthScaling.Group::layers).max().orElse(0);
        List<String> observables = WidthScaling.observables(layers);
        md.append("## RD against width\n\n")
                .append("The relative distance RD = |theta(T) - theta(0)| / |theta(0)| at the end of training, pooled ")
                .append("over all parameters and per layer (RD_l), against the width m. Each group pools the cells ")
                .append("that differ only in width and seed; its slope is the least-squares slope of log RD against ")
                .append("log m over its converged cells, with its standard error. A slope below -max(0.05, 2 se) ")
                .append("reads linear (parameters barely move as m grows), above max(0.05, 2 se) condensed, else ")
                .append("critical (docs/theory.md, regime slope).\n\n");
        md.append("| group | converged | ").append(String.join(" | ", observables.stream().map(o -> "slope " + o)
                .toList())).append(" | regime (rd-1) | regime (rd-max) |\n|---|---|");
        md.append("---|".repeat(observables.size() + 2)).append('\n');
        StringBuilder csv = new StringBuilder("group,observable,slope,standardError,points,leftOut,regime\n");
        Map<String, List<Plots.FitSeries>> figures = new LinkedHashMap<>();
        for (String observable : List.of("rd", "rd-1", "rd-max")) {
            figures.put(observable, new ArrayList<>());
        }
        for (WidthScaling.Group group : groups) {
            long converged = group.members().stream().filter(m -> m.result().converged()).count();
            md.append("| %s | %d of %d |".formatted(group.label(), converged, group.members().size()));
            for (String observable : observables) {
                WidthScaling.Fit fit = WidthScaling.fit(group, observable);
                md.append(' ').append(fit.text()).append(" |");
                csv.append("%s,%s,%s,%s,%d,%d,%s%n".formatted(csvField(group.label()), observable,
                        fit.fit().map(f -> number(f.slope())).orElse(""),
                        fit.fit().map(f -> number(f.standardError())).orElse(""), fit.used(), fit.leftOut(),
                        fit.regime()));
                List<Plots.FitSeries> figure = figures.get(observable);
                if (figure != null) {
                    double[] x = group.members().stream().mapToDouble(m -> m.cell().config().width()).toArray();
                    double[] y = group.members().stream()
                            .mapToDouble(m -> m.result().converged() ? WidthScaling.value(m.result(), observable)
                                    : Double.NaN).toArray();
                    figure.add(new Plots.FitSeries(group.label(), x, y, fit.fit().orElse(null)));
                }
            }
            md.append(" %s | %s |\n".formatted(WidthScaling.fit(group, "rd-1").regime(),
                    WidthScaling.fit(group, "rd-max").regime()));
        }
        AtomicFiles.writeString(folder.resolve(SLOPES), csv.toString());
        md.append("\nAll fits: ").append(SLOPES).append(". Figures show converged cells only; a dashed line is the fit ")
                .append("of the points in its colour.\n\n");
        Map<String, String> titles = Map.of("rd", "RD (all parameters)", "rd-1", "RD_1 (input layer)",
                "rd-max", "max_l RD_l");
        for (Map.Entry<String, List<Plots.FitSeries>> figure : figures.entrySet()) {
            String file = figure.getKey() + "-vs-width.png";
            delete(folder.resolve(file));   // a figure with no points left must not show an earlier report's
            Plots.logLogFits(folder.resolve(file), titles.get(figure.getKey()) + " at the end of training against "
                    + "width", "width m", figure.getKey(), figure.getValue());
            if (Files.exists(folder.resolve(file))) {
                md.append("![%s against width](%s)\n\n".formatted(titles.get(figure.getKey()), file));
            }
        }
    }

    private static void claims(StringBuilder md, List<ClaimChecks.Check> checks) {
        md.append("## Claims\n\n");
        for (ClaimChecks.Check check : checks) {
            Experiment.Claim claim = check.claim();
            md.append("### %s\n\n".formatted(claim.text().strip()));
            md.append("Expected: the slope of %s against width reads **%s**%s. Verdict: **%s**.\n\n".formatted(
                    claim.observable(), claim.expect(), claim.where() == null ? ""
                            : " where " + claim.where().text(), check.summary()));
            if (check.rows().isEmpty()) {
                md.append("No group of cells passes the claim's filter.\n\n");
                continue;
            }
            md.append("| group | slope of %s | cells in the fit | regime | verdict |\n|---|---|---|---|---|\n"
                    .formatted(claim.observable()));
            for (ClaimChecks.Row row : check.rows()) {
                md.append("| %s | %s | %d%s | %s | %s |\n".formatted(row.group().label(), row.fit().text(),
                        row.fit().used(), row.fit().leftOut() > 0 ? " (%d left out)".formatted(row.fit().leftOut())
                                : "", row.fit().regime(), row.verdict()));
            }
            md.append('\n');
        }
    }

    private static void failed(StringBuilder md, Experiment experiment, Map<Cell, CellResult> results) {
        List<String> rows = new ArrayList<>();
        results.forEach((cell, result) -> {
            if (result.failed() || !result.message().isEmpty()) {
                rows.add("| %s | %s | %s | %s |".formatted(cell.id(), cell.axes(), result.status(),
                        result.message().replace("|", "\\|")));
            }
        });
        if (!rows.isEmpty()) {
            md.append("## Cells that failed or stopped early\n\n| id | axes | status | message |\n|---|---|---|---|\n")
                    .append(String.join("\n", rows)).append("\n\nRetry failed cells with thetalazy run FILE --out ")
                    .append("DIR --retry-failed.\n");
        }
    }

    /** The markdown as a page of its own: tables rendered, figures embedded as data URIs. */
    static String html(String title, String markdown, Path folder) {
        List<org.commonmark.Extension> extensions = List.of(TablesExtension.create());
        Parser parser = Parser.builder().extensions(extensions).build();
        HtmlRenderer renderer = HtmlRenderer.builder().extensions(extensions)
                .attributeProviderFactory(context -> (node, tag, attributes) -> {
                    if (node instanceof Image image && !image.getDestination().contains(":")) {
                        attributes.put("src", dataUri(folder.resolve(image.getDestination())));
                    }
                }).build();
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>%s</title>
                <style>body{font-family:sans-serif;max-width:70em;margin:2em auto;padding:0 1em;line-height:1.4}
                table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}
                img{max-width:100%%}</style></head><body>
                %s</body></html>
                """.formatted(escape(title), renderer.render(parser.parse(markdown)));
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new FrameworkException(INVALID_FILE, "cannot replace %s: %s".formatted(file, OutputFolder.reason(e)),
                    e);
        }
    }

    private static String dataUri(Path png) {
        try {
            return "data:image/png;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(png));
        } catch (IOException e) {
            throw new FrameworkException(INVALID_FILE, "cannot read the figure %s for report.html: %s".formatted(png,
                    OutputFolder.reason(e)), e);
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String csvField(String value) {
        return value.contains(",") || value.contains("\"") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }

    static String number(double value) {
        return String.format(Locale.ROOT, "%.6g", value).trim();
    }
}
