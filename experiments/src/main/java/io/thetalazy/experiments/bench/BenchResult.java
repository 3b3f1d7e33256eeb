package io.thetalazy.experiments.bench;

import java.util.Arrays;

/**
 * Times of the repeats of one workload, in seconds per execution, the checksum of the last one, and what its untimed
 * warm-up did.
 */
public record BenchResult(String workload, double[] seconds, double checksum, Warmup.Done warmup) {
    public double median() {
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    public double min() {
        return Arrays.stream(seconds).min().orElse(Double.NaN);
    }

    public double max() {
        return Arrays.stream(seconds).max().orElse(Double.NaN);
    }

    /**
     * Runs the workload untimed as {@code warmup} says, then {@code repeats} timed executions. A JVM reaches its steady
     * pace only once the JIT has compiled the hot paths (ND4J's Java side of each operation runs interpreted at first:
     * entk's first 15 runs take 1.5x its later ones), which the peers' single warm-up does not need.
     */
    public static BenchResult measure(String name, Workload workload, int repeats, Warmup warmup) {
        Warmup.Done done = warmup.run(workload);
        double[] seconds = new double[repeats];
        double checksum = Double.NaN;
        for (int r = 0; r < repeats; r++) {
            long start = System.nanoTime();
            checksum = workload.run();
            seconds[r] = (System.nanoTime() - start) / 1e9 / workload.inner();
        }
        return new BenchResult(name, seconds, checksum, done);
    }
}
