package io.thetalazy.experiments.analysis;

import static io.thetalazy.core.error.ErrorCode.INVALID_FILE;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.plugin.Registry;
import io.thetalazy.experiments.config.AnalysisSpec;
import io.thetalazy.experiments.config.Cell;
import io.thetalazy.experiments.config.Experiment;
import io.thetalazy.experiments.report.OutputFolder;
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
import java.util.Map;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.Image;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * The report of an experiment folder, built from its store alone (so {@code thetalazy report DIR} rebuilds it):
 * {@value #MARKDOWN} with the description, the cells by status, a section per analysis (its tables and figures), and
 * each claim with the measurements that support or contradict it; {@value #HTML}, the same page with its figures
 * embedded. The analyses write their own files ({@code slopes.csv}, PNG figures).
 */
public final class ExperimentReport {
    public static final String MARKDOWN = "report.md";
    public static final String HTML = "report.html";

    private ExperimentReport() {}

    /** What the report found: the width groups and the claims' checks. */
    public record Summary(List<WidthScaling.Group> groups, List<ClaimChecks.Check> checks, Map<String, Long> statuses) {}

    /** Writes the report of {@code results} (every cell of the store's experiment) and returns what it found. */
    public static Summary write(ResultStore store, Map<Cell, CellResult> results, Registry registry) {
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
        Analysis.Context context = new Analysis.Context(experiment, results, folder, registry);
        for (AnalysisSpec spec : experiment.analyses()) {
            Analysis.Section section = Analyses.create(spec).run(context);
            if (!experiment.report().contains(spec.name())) {
                continue;   // computed (its files written), not shown
            }
            md.append("## ").append(section.title()).append("\n\n").append(section.markdown().strip()).append("\n\n");
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

}
