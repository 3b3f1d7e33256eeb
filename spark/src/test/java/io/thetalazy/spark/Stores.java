package io.thetalazy.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.thetalazy.experiments.config.Cell;
import io.thetalazy.experiments.config.Experiment;
import io.thetalazy.experiments.report.OutputFolder;
import io.thetalazy.experiments.report.RunFolder;
import io.thetalazy.experiments.sweep.ResultStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Compares results folders: the same cells.csv row for row and the same files in every cell, wall times aside. */
final class Stores {
    private Stores() {}

    static void assertSame(Path actual, Path expected, Experiment experiment) throws IOException {
        assertThat(withoutTimes(Files.readString(actual.resolve(ResultStore.CELLS))))
                .isEqualTo(withoutTimes(Files.readString(expected.resolve(ResultStore.CELLS))));
        for (Cell cell : experiment.cells()) {
            Path name = Path.of(ResultStore.CELL_FOLDERS, cell.folderName(experiment.labels()));
            List<String> files = files(expected.resolve(name));
            assertThat(files(actual.resolve(name))).as("files of %s", name).isEqualTo(files);
            for (String file : files) {
                byte[] want = Files.readAllBytes(expected.resolve(name).resolve(file));
                byte[] got = Files.readAllBytes(actual.resolve(name).resolve(file));
                if (file.equals(RunFolder.SUMMARY) || file.equals(ResultStore.FAILURE)) {
                    assertThat(withoutWallTime(got)).as(name + "/" + file).isEqualTo(withoutWallTime(want));
                } else {
                    assertThat(got).as(name + "/" + file).isEqualTo(want);
                }
            }
        }
    }

    /** A cell folder's files by relative path, the folder marker aside. */
    static List<String> files(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> tree = Files.walk(folder)) {
            return tree.filter(Files::isRegularFile).map(file -> folder.relativize(file).toString())
                    .filter(file -> !file.equals(OutputFolder.MARKER)).sorted().toList();
        }
    }

    /** cells.csv without its wallSeconds column, the one thing that may differ between runs. */
    static String withoutTimes(String csv) {
        List<String> lines = csv.lines().toList();
        int column = fields(lines.get(0)).indexOf("wallSeconds");
        return lines.stream().map(line -> {
            List<String> fields = fields(line);
            fields.set(column, "");
            return String.join(",", fields);
        }).collect(Collectors.joining("\n"));
    }

    /** A CSV line's fields as written, quotes kept: a quoted field may hold commas. */
    private static List<String> fields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == ',' && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
                continue;
            }
            quoted ^= c == '"';
            field.append(c);
        }
        fields.add(field.toString());
        return fields;
    }

    private static String withoutWallTime(byte[] json) {
        return new String(json, StandardCharsets.UTF_8).lines().filter(line -> !line.contains("\"wallSeconds\""))
                .collect(Collectors.joining("\n"));
    }
}
