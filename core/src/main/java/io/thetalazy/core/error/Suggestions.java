package io.thetalazy.core.error;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" help for unknown names: the closest valid name by edit distance. */
public final class Suggestions {
    private Suggestions() {}

    /** The valid name closest to {@code name}, if any is within half the name's length (at least 2 edits). */
    public static Optional<String> closest(String name, Collection<String> valid) {
        String lower = name.toLowerCase(Locale.ROOT);
        int limit = Math.max(2, lower.length() / 2);
        return valid.stream()
                .sorted()
                .min(Comparator.comparingInt(candidate -> distance(lower, candidate.toLowerCase(Locale.ROOT))))
                .filter(candidate -> distance(lower, candidate.toLowerCase(Locale.ROOT)) <= limit);
    }

    /** " (did you mean 'x'?)" or "" when nothing is close. */
    public static String didYouMean(String name, Collection<String> valid) {
        return closest(name, valid).map(c -> " (did you mean '" + c + "'?)").orElse("");
    }

    /** An UNKNOWN_NAME error naming the kind, the name, the closest valid one and every valid one. */
    public static FrameworkException unknown(String kind, String name, Collection<String> valid) {
        return new FrameworkException(ErrorCode.UNKNOWN_NAME, "Unknown %s '%s'%s; valid: %s"
                .formatted(kind, name, didYouMean(name, valid), valid.stream().sorted().toList()));
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
