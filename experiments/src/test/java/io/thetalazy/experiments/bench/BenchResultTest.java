package io.thetalazy.experiments.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

final class BenchResultTest {
    /** A workload that takes about 5 ms and records when each run ended. */
    private static final class Sleeper implements Workload {
        final List<Long> ends = new ArrayList<>();

        @Override
        public double run() {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ends.add(System.nanoTime());
            return ends.size();
        }
    }

    /** A compiler whose accumulated time grows as fast as the clock (busy all the time) until {@code busyUntil}. */
    private static LongSupplier compilerBusyUntil(long busyUntil) {
        return () -> Math.min(System.nanoTime(), busyUntil) / 1_000_000;
    }

    private static final LongSupplier QUIET = () -> 0;

    @Test
    void warmsUpUntilItsTimeHasPassedThenTimesTheRepeats() {
        Sleeper sleeper = new Sleeper();
        long start = System.nanoTime();
        BenchResult result = BenchResult.measure("sleep", sleeper, 3, new Warmup(0.05, 0.02, 0.02, 1, QUIET));
        int warmups = result.warmup().runs();
        assertThat(sleeper.ends).hasSize(warmups + 3);
        assertThat(result.seconds()).hasSize(3);
        assertThat(result.min()).isGreaterThanOrEqualTo(0.004);
        long lastWarmup = sleeper.ends.get(warmups - 1);
        assertThat(lastWarmup - start).as("the warm-up lasts its time").isGreaterThanOrEqualTo(50_000_000L);
        if (warmups > 1) {
            long beforeLast = sleeper.ends.get(warmups - 2);
            assertThat(beforeLast - start).as("and stops once it has passed: the compiler is quiet")
                    .isLessThan(50_000_000L);
        }
        assertThat(result.warmup().compilerQuiet()).isTrue();
        assertThat(result.checksum()).isEqualTo(warmups + 3);
    }

    @Test
    void aBusyCompilerProlongsTheWarmupUntilAWindowIsQuiet() {
        Sleeper sleeper = new Sleeper();
        long start = System.nanoTime();
        long busyUntil = start + 150_000_000L;
        Warmup.Done done = new Warmup(0.05, 0.02, 0.02, 2, compilerBusyUntil(busyUntil)).run(sleeper);
        assertThat(done.compilerQuiet()).isTrue();
        long end = sleeper.ends.get(done.runs() - 1);
        assertThat(end).as("not before the compiler went quiet").isGreaterThan(busyUntil);
        assertThat(end - busyUntil).as("but within two windows of it").isLessThan(80_000_000L);
        assertThat(done.seconds()).isBetween(0.15, 0.5);
    }

    @Test
    void aCompilerThatNeverGoesQuietEndsTheWarmupAtItsLimit() {
        Sleeper sleeper = new Sleeper();
        Warmup.Done done = new Warmup(0.03, 0.02, 0.02, 0.12, compilerBusyUntil(Long.MAX_VALUE)).run(sleeper);
        assertThat(done.compilerQuiet()).isFalse();
        assertThat(done.seconds()).isBetween(0.12, 0.4);
    }

    @Test
    void aJvmWithoutCompilerTimesWarmsUpForTheMinimum() {
        Sleeper sleeper = new Sleeper();
        Warmup.Done done = new Warmup(0.03, 0.02, 0.02, 5, () -> -1).run(sleeper);
        assertThat(done.seconds()).isBetween(0.03, 1.0);
    }

    @Test
    void noWarmupTimeIsOneWarmupRun() {
        Sleeper sleeper = new Sleeper();
        BenchResult result = BenchResult.measure("sleep", sleeper, 2, Warmup.untilCompilerQuiet(0));
        assertThat(result.warmup().runs()).isEqualTo(1);
        assertThat(sleeper.ends).hasSize(3);
    }
}
