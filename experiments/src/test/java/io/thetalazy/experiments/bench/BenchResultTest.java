package io.thetalazy.experiments.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
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

    @Test
    void warmsUpUntilItsTimeHasPassedThenTimesTheRepeats() {
        Sleeper sleeper = new Sleeper();
        long start = System.nanoTime();
        BenchResult result = BenchResult.measure("sleep", sleeper, 3, 0.05);
        assertThat(sleeper.ends).hasSize(result.warmups() + 3);
        assertThat(result.seconds()).hasSize(3);
        assertThat(result.min()).isGreaterThanOrEqualTo(0.004);
        long lastWarmup = sleeper.ends.get(result.warmups() - 1);
        assertThat(lastWarmup - start).as("the warm-up lasts its time").isGreaterThanOrEqualTo(50_000_000L);
        if (result.warmups() > 1) {
            long beforeLast = sleeper.ends.get(result.warmups() - 2);
            assertThat(beforeLast - start).as("and stops once it has passed").isLessThan(50_000_000L);
        }
        assertThat(result.checksum()).isEqualTo(result.warmups() + 3);
    }

    @Test
    void noWarmupTimeIsOneWarmupRun() {
        Sleeper sleeper = new Sleeper();
        BenchResult result = BenchResult.measure("sleep", sleeper, 2, 0);
        assertThat(result.warmups()).isEqualTo(1);
        assertThat(sleeper.ends).hasSize(3);
    }
}
