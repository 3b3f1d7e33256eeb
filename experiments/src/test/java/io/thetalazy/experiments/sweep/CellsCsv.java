package io.thetalazy.experiments.sweep;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** cells.csv as the tests compare it. */
public final class CellsCsv {
    private CellsCsv() {}

    /** cells.csv without its wallSeconds column, the one thing that may differ between runs. */
    public static String withoutTimes(String csv) {
        List<String> lines = csv.lines().toList();
        int column = Arrays.asList(lines.get(0).split(",")).indexOf("wallSeconds");
        return lines.stream().map(line -> {
            String[] fields = line.split(",", -1);
            fields[column] = "";
            return String.join(",", fields);
        }).collect(Collectors.joining("\n"));
    }
}
