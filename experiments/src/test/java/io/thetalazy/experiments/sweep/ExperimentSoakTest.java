package io.thetalazy.experiments.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.thetalazy.core.plugin.Plugins;
import io.thetalazy.experiments.config.Cell;
import io.thetalazy.experiments.config.Experiment;
import io.thetalazy.experiments.config.ExperimentFiles;
import io.thetalazy.kernels.empirical.ResidentMemory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many small cells of one experiment in one JVM: the memory the cells hold stays flat. Measured every 50 cells after a collection:
 * ND4J's native memory (JavaCPP's count of its allocations), the live Java heap, and the resident size (reported;
 * it also counts heap the JVM has committed and not yet returned).
 */
final class ExperimentSoakTest {
    @TempDir
    Path folder;

    @Test
    @Tag("slow")
    void fiveHundredCellsKeepTheirMemoryFlat() {
        assertThat(ResidentMemory.available()).as("Linux reports resident memory").isTrue();
        int count = Integer.getInteger("tests.soakCells", 500);
        String seeds = java.util.stream.IntStream.range(0, (count + 3) / 4).mapToObj(String::valueOf)
                .collect(java.util.stream.Collectors.joining(", "));
        Experiment experiment = ExperimentFiles.parse("""
                base:
                  depth: 2
                  activation: relu
                  data: {name: sphere, n: 16, dimension: 3}
                  training: {learningRate: 0.2, maxSteps: 40, recordEvery: 10, lossTolerance: 0}
                axes:
                  seed: [%s]
                  width: [32, 64, 96, 128]
                """.formatted(seeds), "soak.yaml", folder, ExperimentFiles.Overrides.NONE);
        List<long[]> samples = new ArrayList<>();   // cells done, native, live heap, resident
        int[] done = {0};
        ExperimentRunner.Listener listener = new ExperimentRunner.Listener() {
            @Override
            public void finished(Cell cell, CellResult result) {
                if (++done[0] % 50 != 0) {
                    return;
                }
                System.gc();
                Runtime runtime = Runtime.getRuntime();
                long[] sample = {done[0], Pointer.totalBytes(), runtime.totalMemory() - runtime.freeMemory(),
                        ResidentMemory.currentBytes()};
                samples.add(sample);
                System.out.printf("soak: %d cells, native %.1f MiB, live heap %.1f MiB, resident %.1f MiB%n",
                        sample[0], sample[1] / 1048576.0, sample[2] / 1048576.0, sample[3] / 1048576.0);
            }
        };
        ExperimentRunner.run(new ResultStore(folder.resolve("out"), experiment), new LocalExecutor(Plugins.registry(),
                1), folder, false, List.of("soak"), listener);
        long[] first = samples.get(0);
        long[] last = samples.get(samples.size() - 1);
        assertThat(last[1] - first[1]).as("native growth").isLessThan(16L << 20);
        assertThat(last[2] - first[2]).as("live heap growth").isLessThan(32L << 20);
    }
}
