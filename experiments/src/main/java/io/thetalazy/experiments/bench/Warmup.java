package io.thetalazy.experiments.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * How long a workload runs untimed before it is timed: at least {@code minSeconds} (and at least one run), then on in
 * windows of {@code windowSeconds} until the JIT compiler was busy for under {@code quietFraction} of a window, or
 * {@code maxSeconds} have passed. A workload whose step calls many library methods a few times each (cnn-step: a
 * few dozen ND4J operations a step) has them compiled by C2 over ten seconds and more, and a compiler thread that
 * takes one of two cores stalls the BLAS's other thread at the end of every product: cnn-step's products take 2-4x
 * their time in such steps.
 *
 * @param compilerMillis the JIT's accumulated compilation time, in ms; negative where the JVM does not report it
 *                       (the warm-up then lasts {@code minSeconds})
 */
public record Warmup(double minSeconds, double windowSeconds, double quietFraction, double maxSeconds,
        LongSupplier compilerMillis) {
    /** The compiler counts as quiet below this percentage of a one-second window. */
    public static final int QUIET_PERCENT = 2;

    /** The wait for a quiet compiler ends this many seconds after the minimum, quiet or not. */
    public static final int MAX_EXTRA_SECONDS = 30;

    /** At least {@code minSeconds}, then until this JVM's compiler is quiet; 0 s: one run, as the peers warm up. */
    public static Warmup untilCompilerQuiet(double minSeconds) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean reported = jit != null && jit.isCompilationTimeMonitoringSupported();
        LongSupplier millis = reported ? jit::getTotalCompilationTime : () -> -1;
        return new Warmup(minSeconds, 1, QUIET_PERCENT / 100.0, minSeconds == 0 ? 0 : minSeconds + MAX_EXTRA_SECONDS,
                millis);
    }

    /** What the warm-up did: its runs, its seconds, and whether the compiler was quiet at its end. */
    public record Done(int runs, double seconds, boolean compilerQuiet) {}

    /**
     * Runs the workload untimed as this warm-up says, judging the compiler over consecutive windows (the minimum's
     * last window counts: a quiet one ends the warm-up with the minimum).
     */
    public Done run(Workload workload) {
        long start = System.nanoTime();
        long minEnd = start + nanos(minSeconds);
        long maxEnd = start + nanos(Math.max(minSeconds, maxSeconds));
        long window = nanos(windowSeconds);
        long windowStart = start;
        long compiledBefore = compilerMillis.getAsLong();
        boolean quiet = compiledBefore < 0;
        int runs = 0;
        long now;
        do {
            workload.run();
            runs++;
            now = System.nanoTime();
            if (now - windowStart >= window) {
                long compiled = compilerMillis.getAsLong();
                quiet = (compiled - compiledBefore) / 1e3 < quietFraction * (now - windowStart) / 1e9;
                windowStart = now;
                compiledBefore = compiled;
            }
        } while (now < minEnd || !quiet && now < maxEnd);
        return new Done(runs, (now - start) / 1e9, quiet);
    }

    private static long nanos(double seconds) {
        return (long) (seconds * 1e9);
    }
}
