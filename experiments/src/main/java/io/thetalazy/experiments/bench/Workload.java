package io.thetalazy.experiments.bench;

/** A timed workload: setup happens once, {@link #run()} is what is timed and returns a checksum. */
public interface Workload {
    /** One timed execution; returns a checksum of its result (so the work cannot be skipped). */
    double run();

    /** Number of inner repetitions a single {@link #run()} makes; times are divided by it. */
    default int inner() {
        return 1;
    }
}
