package io.thetalazy.experiments.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An experiment: a base run configuration, the axes varied over it and the cells they give, as an experiment file
 * defines them ({@link ExperimentFiles}).
 *
 * @param name what the experiment is called (the file's name unless it says)
 * @param description one paragraph saying what the experiment does
 * @param axes the dotted paths of the axes, in file order (the first varies slowest)
 * @param size the size it runs at, one of the file's {@code sizes} ({@code ci}, {@code small}, {@code paper}), or null
 *     when the file has none
 * @param labels short names of axes for tables and folder names ({@code rule.gamma: q})
 * @param analyses what is computed over the cells, in order
 * @param report the analyses whose sections the report shows, in order
 * @param claims what the experiment tests, each checked against its measurement in the report
 * @param cells every cell, in the order of the axes, after the {@code where} filters
 * @param definition the experiment file's settings as written (base, axes, zip, where, ...)
 */
public record Experiment(String name, String description, String size, List<String> axes,
        Map<String, String> labels, List<AnalysisSpec> analyses, List<String> report, List<Claim> claims,
        List<Cell> cells, JsonNode definition) {
    public Experiment {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        axes = List.copyOf(axes);
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        analyses = List.copyOf(analyses);
        report = List.copyOf(report);
        claims = List.copyOf(claims);
        cells = List.copyOf(cells);
        requireNonNull(definition, "definition is null");
    }

    /**
     * A claim the experiment tests: over the groups of cells that differ only in width (and pass {@code where}), the
     * log-log slope of {@code observable} against width is expected to read {@code expect}, a regime label of
     * docs/theory.md#regime-slope ({@code linear}: falls with width; {@code critical}: flat; {@code condensed}: grows;
     * {@code not-linear}: flat or grows).
     *
     * @param observable {@code rd}, {@code rd-<l>} or {@code rd-max} (max_l RD_l)
     */
    public record Claim(String text, Where where, String observable, String expect) {
        /** The regimes, and {@code not-linear} (critical or condensed: the parameters do not settle as m grows). */
        public static final List<String> EXPECTATIONS = List.of("linear", "critical", "condensed", "not-linear");

        /** Whether a measured regime label is what the claim expects. */
        public boolean expects(String regime) {
            return expect.equals("not-linear") ? regime.equals("critical") || regime.equals("condensed")
                    : expect.equals(regime);
        }

        public Claim {
            requireNonNull(text, "text is null");
            requireNonNull(observable, "observable is null");
            requireNonNull(expect, "expect is null");
        }
    }
}
