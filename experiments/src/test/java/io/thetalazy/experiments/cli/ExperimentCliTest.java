package io.thetalazy.experiments.cli;

import static io.thetalazy.experiments.cli.CliRunner.run;
import static io.thetalazy.experiments.sweep.CellsCsv.withoutTimes;
import static org.assertj.core.api.Assertions.assertThat;

import io.thetalazy.experiments.cli.CliRunner.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** thetalazy run, cells, report and quickstart: the experiment runner from the command line. */
final class ExperimentCliTest {
    /** Eight small cells: two exponents by four widths. */
    private static final String EXPERIMENT = """
            name: tiny
            description: A tiny sweep for the tests.
            base:
              depth: 1
              activation: tanh
              rule: theta-lazy
              data: lxmz
              training: {learningRate: adaptive, stepFraction: 0.5, maxSteps: 2000, recordEvery: 20, lossTolerance: 1.0e-4}
            axes:
              rule.gamma: [0.5, 0]
              width: [8, 16, 32, 64]
            labels: {rule.gamma: q}
            claims:
              - {text: The input layer settles as the width grows, where: rule.gamma > 0, observable: rd-1,
                 expect: linear}
            """;

    @TempDir
    Path folder;

    private Path file(String name, String text) throws Exception {
        Path file = folder.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void runWritesTheStoreAndTheReportAndARerunReadsEveryCellBack() throws Exception {
        Path file = file("tiny.yaml", EXPERIMENT);
        Path out = folder.resolve("out");
        Result first = run("run", file.toString(), "--out", out.toString(), "--jobs", "2", "--progress", "plain");
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.err()).contains("8 cells: 0 already in the folder, 8 to run, 2 at a time", "[8/8] q-");
        assertThat(first.out()).contains("claim: The input layer settles as the width grows -> ", "Report: ");
        for (String name : List.of("experiment.yaml", "cells.csv", "provenance.json", "report.md", "report.html",
                "slopes.csv", "rd-1-vs-width.png")) {
            assertThat(out.resolve(name)).as(name).isNotEmptyFile();
        }
        String markdown = Files.readString(out.resolve("report.md"));
        assertThat(markdown).contains("# tiny", "A tiny sweep for the tests.", "## RD against width", "| q=0.5 |",
                "## Claims", "### The input layer settles as the width grows", "![RD_1 (input layer) against width]");
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("<table>", "<img src=\"data:image/png;base64,").doesNotContain("src=\"rd-1");
        assertThat(Files.readAllLines(out.resolve("cells.csv"))).hasSize(9);

        Result again = run("run", file.toString(), "--out", out.toString(), "--progress", "plain");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.err()).contains("8 cells: 8 already in the folder, 0 to run");

        // the report rebuilt from the store alone is the same report
        Files.delete(out.resolve("report.md"));
        Files.delete(out.resolve("slopes.csv"));
        Result report = run("report", out.toString());
        assertThat(report.code()).as(report.err()).isZero();
        assertThat(Files.readString(out.resolve("report.md"))).isEqualTo(markdown);

        Result cells = run("cells", out.toString(), "--status", "converged,step-budget");
        assertThat(cells.code()).as(cells.err()).isZero();
        assertThat(cells.out()).contains("id", "q", "width", "8 of 8 cells shown");
        Result none = run("cells", out.toString(), "--status", "failed");
        assertThat(none.out()).contains("0 of 8 cells shown");
        assertThat(run("cells", out.toString(), "--status", "finished").err())
                .contains("--status 'finished' is not a cell status");
    }

    @Test
    void aDryRunPrintsTheCellsAndWritesNothing() throws Exception {
        Path file = file("tiny.yaml", EXPERIMENT);
        Path out = folder.resolve("out");
        Result dry = run("run", file.toString(), "--out", out.toString(), "--dry-run", "--axis", "width=8,16",
                "--set", "training.maxSteps=10");
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("pending", "dry run: 4 cells over [rule.gamma, width]", "nothing was trained");
        assertThat(out).doesNotExist();
    }

    @Test
    void badExperimentsAndOptionsAreRefusedBeforeAnyCellRuns() throws Exception {
        Path out = folder.resolve("out");
        Path typo = file("typo.yaml", EXPERIMENT.replace("axes:", "axis:"));
        assertThat(run("run", typo.toString(), "--out", out.toString()).err())
                .contains("unknown key 'axis'", "did you mean 'axes'");
        Path badValue = file("bad.yaml", EXPERIMENT.replace("width: [8, 16, 32, 64]", "width: [8, -16]"));
        Result refused = run("run", badValue.toString(), "--out", out.toString());
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("width");
        Path file = file("tiny.yaml", EXPERIMENT);
        assertThat(run("run", file.toString(), "--out", out.toString(), "--jobs", "0").err())
                .contains("--jobs must be at least 1 cell at a time, found 0");
        assertThat(run("run", file.toString(), "--out", out.toString(), "--executor", "cluster").err())
                .contains("unknown executor 'cluster'; executors here: local");
        assertThat(run("run", file.toString(), "--out", out.toString(), "--axis", "depth=1,2").err())
                .contains("has no axis 'depth' to replace");
        assertThat(run("run", file.toString(), "--out", out.toString(), "--set", "training.maxStep=3").err())
                .contains("maxStep", "maxSteps");
        assertThat(run("report", folder.resolve("nothing").toString()).err()).contains("holds no experiment");
        assertThat(out).doesNotExist();
    }

    @Test
    void anotherExperimentIsNotMixedIntoAFolder() throws Exception {
        Path out = folder.resolve("out");
        Path small = file("tiny.yaml", EXPERIMENT.replace("width: [8, 16, 32, 64]", "width: [8]")
                .replace("rule.gamma: [0.5, 0]", "rule.gamma: [0.5]"));
        assertThat(run("run", small.toString(), "--out", out.toString(), "--progress", "none").code()).isZero();
        Path other = file("other.yaml", EXPERIMENT.replace("name: tiny", "name: other")
                .replace("width: [8, 16, 32, 64]", "width: [8]"));
        Result refused = run("run", other.toString(), "--out", out.toString());
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains(out + " holds the experiment 'tiny'", "another --out", "--overwrite");
        // the same experiment extended by a value: the finished cell is read back, the new ones run
        Path extended = file("tiny.yaml", EXPERIMENT.replace("width: [8, 16, 32, 64]", "width: [8, 16]")
                .replace("rule.gamma: [0.5, 0]", "rule.gamma: [0.5]"));
        Result more = run("run", extended.toString(), "--out", out.toString(), "--progress", "plain");
        assertThat(more.err()).contains("2 cells: 1 already in the folder, 1 to run");
    }

    @Test
    void aRunKilledAtAnyMomentResumesToTheUninterruptedStore() throws Exception {
        Path file = file("tiny.yaml", EXPERIMENT);
        Path whole = folder.resolve("whole");
        assertThat(run("run", file.toString(), "--out", whole.toString(), "--jobs", "1", "--progress", "none").code())
                .isZero();
        Path killed = folder.resolve("killed");
        Path log = folder.resolve("child.log");
        Process child = ChildProcess.start(log, "run", file.toString(), "--out", killed.toString(), "--jobs", "2",
                "--progress", "plain");
        boolean reached = ChildProcess.await(child, 120, () -> ChildProcess.read(log).contains("[3/8]"));
        assertThat(reached).as("the child finished three cells: %s", ChildProcess.read(log)).isTrue();
        ChildProcess.kill(child);
        Result resumed = run("run", file.toString(), "--out", killed.toString(), "--jobs", "2", "--progress", "plain");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.err()).containsPattern("8 cells: [3-7] already in the folder");
        assertThat(withoutTimes(Files.readString(killed.resolve("cells.csv"))))
                .isEqualTo(withoutTimes(Files.readString(whole.resolve("cells.csv"))));
        try (Stream<Path> files = Files.walk(whole.resolve("cells"))) {
            for (Path path : files.filter(p -> p.toString().endsWith(".npy")).toList()) {
                Path same = killed.resolve(whole.relativize(path));
                assertThat(Files.readAllBytes(same)).as(path.toString()).isEqualTo(Files.readAllBytes(path));
            }
        }
        try (Stream<Path> files = Files.walk(killed)) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".tmp"))).as("no half-written file")
                    .isEmpty();
        }
    }

    @Test
    void theQuickstartRunsTheShippedExperimentFile() throws Exception {
        Path out = folder.resolve("quick");
        Result quick = run("quickstart", "--out", out.toString(), "--widths", "8,16", "--exponents", "0.5",
                "--depth", "1", "--progress", "none");
        assertThat(quick.code()).as(quick.err()).isZero();
        assertThat(quick.out()).contains("q=0.5", "slope of log RD vs log m:", "Report: ");
        assertThat(Files.readString(out.resolve("experiment.yaml"))).contains("name: quickstart");
        assertThat(Files.readAllLines(out.resolve("cells.csv"))).hasSize(3);
    }
}
