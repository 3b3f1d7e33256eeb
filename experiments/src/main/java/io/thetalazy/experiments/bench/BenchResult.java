package io.thetalazy.experiments.bench;

import java.util.Arrays;

/** Times of the repeats of one workload, in seconds per execution, and the checksum of the last one. */
public record BenchResult(String workload, double[] seconds, double checksum) {
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

    /** Runs one warm-up, then {@code repeats} timed executions (as the peers that bench/compare.sh runs do). */
    public static BenchResult measure(String name, Workload workload, int repeats) {
        workload.run();
        double[] seconds = new double[repeats];
        double checksum = Double.NaN;
        for (int r = 0; r < repeats; r++) {
            long start = System.nanoTime();
            checksum = workload.run();
            seconds[r] = (System.nanoTime() - start) / 1e9 / workload.inner();
        }
        return new BenchResult(name, seconds, checksum);
    }
}
