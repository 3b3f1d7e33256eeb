package io.thetalazy.experiments.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import io.thetalazy.experiments.config.ConfigFiles;
import io.thetalazy.experiments.config.Experiment.Claim;
import java.util.List;

/**
 * Each claim of an experiment against its measurement: in every group the claim's {@code where} selects, the slope of
 * its observable against width and the regime it indicates, which holds when the regime is the one expected.
 */
public final class ClaimChecks {
    private ClaimChecks() {}

    /** One group's measurement for a claim. */
    public record Row(WidthScaling.Group group, WidthScaling.Fit fit, String verdict) {
        public static final String HOLDS = "holds";
        public static final String FAILS = "fails";
        /** No slope to judge: fewer than two converged cells. */
        public static final String UNDECIDED = "undecided";
    }

    /** A claim and its rows; it holds when every row holds. */
    public record Check(Claim claim, List<Row> rows) {
        public Check {
            rows = List.copyOf(rows);
        }

        public long count(String verdict) {
            return rows.stream().filter(r -> r.verdict().equals(verdict)).count();
        }

        /** holds (every row holds), fails (some row fails), undecided (no row fails, some cannot be judged). */
        public String verdict() {
            if (rows.isEmpty()) {
                return Row.UNDECIDED;
            }
            if (count(Row.FAILS) > 0) {
                return Row.FAILS;
            }
            return count(Row.UNDECIDED) > 0 ? Row.UNDECIDED : Row.HOLDS;
        }

        /** {@code holds in 2 of 2 groups}. */
        public String summary() {
            if (rows.isEmpty()) {
                return "undecided (no group of cells passes its filter)";
            }
            return "%s (holds in %d of %d group%s%s)".formatted(verdict(), count(Row.HOLDS), rows.size(),
                    rows.size() == 1 ? "" : "s", count(Row.UNDECIDED) > 0
                            ? ", %d undecided".formatted(count(Row.UNDECIDED)) : "");
        }
    }

    public static Check check(Claim claim, List<WidthScaling.Group> groups) {
        List<Row> rows = groups.stream().filter(group -> selected(claim, group)).map(group -> {
            WidthScaling.Fit fit = WidthScaling.fit(group, claim.observable());
            String verdict = fit.fit().isEmpty() ? Row.UNDECIDED
                    : claim.expects(fit.regime()) ? Row.HOLDS : Row.FAILS;
            return new Row(group, fit, verdict);
        }).toList();
        return new Check(claim, rows);
    }

    /** A group is selected when its first cell passes the claim's filter (the group's cells share all but width). */
    private static boolean selected(Claim claim, WidthScaling.Group group) {
        if (claim.where() == null || group.members().isEmpty()) {
            return true;
        }
        JsonNode config = ConfigFiles.yaml().valueToTree(group.members().get(0).cell().config());
        return claim.where().test(config);
    }
}
