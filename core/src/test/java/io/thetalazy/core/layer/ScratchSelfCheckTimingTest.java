package io.thetalazy.core.layer;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

final class ScratchSelfCheckTimingTest {
    @Test
    void time() {
        long a = System.nanoTime();
        Nd4j.create(new double[] {1, 2}).sumNumber();
        long b = System.nanoTime();
        var f = BlasSelfCheck.failures(BlasSelfCheck.ND4J);
        long c = System.nanoTime();
        var g = BlasSelfCheck.failures(BlasSelfCheck.ND4J);
        long d = System.nanoTime();
        System.out.printf("nd4j init %.1f ms, first check %.1f ms (%s), second %.1f ms%n", (b - a) / 1e6, (c - b) / 1e6, f, (d - c) / 1e6);
    }
}
