package io.thetalazy.core.layer;

import io.thetalazy.core.error.FrameworkException;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Measures the BLAS library this JVM loaded, for bin/blas-env's choice on a kind of CPU it has no measurement for: the
 * self-check ({@link BlasSelfCheck}) first, then the time of the two kinds of products experiments spend their time
 * in, a wide one (1024 x 1024 x 1024, on every BLAS thread) and a batch of small single-threaded ones (the
 * [16, 512] x [512, 512] products of a quickstart cell, with and without a transpose flag; on AMD Zen 4 a newer
 * OpenBLAS was faster on the first and 1.5x slower on the second). Prints one line: {@code right WIDE SMALL} (seconds,
 * the best of a few repeats) or {@code wrong REASON}.
 */
public final class BlasProbe {
    private static final int REPEATS = 3;
    private static final int SMALL_PRODUCTS = 100;

    private BlasProbe() {}

    /** Runs the probe; arguments are ignored. */
    public static void main(String[] args) {
        try {
            Numerics.useFloat64();
        } catch (FrameworkException e) {
            System.out.println("wrong " + e.getMessage().replace('\n', ' '));
            return;
        }
        Nd4j.getRandom().setSeed(1);
        INDArray a = Nd4j.randn(1024, 1024);
        INDArray b = Nd4j.randn(1024, 1024);
        INDArray c = Nd4j.zeros(1024, 1024);
        double wide = best(() -> Products.gemm(a, b, c, false, false, 1.0, 0.0));
        INDArray x = Nd4j.randn(16, 512);
        INDArray w = Nd4j.randn(512, 512);
        INDArray y = Nd4j.zeros(16, 512);
        double small;
        try (Numerics.SingleThreadedBlas ignored = Numerics.singleThreadedBlas()) {
            small = best(() -> {
                for (int i = 0; i < SMALL_PRODUCTS; i++) {
                    Products.gemm(x, w, y, false, (i & 1) == 1, 1.0, 0.0);
                }
            });
        }
        System.out.println(String.format(Locale.ROOT, "right %.6f %.6f", wide, small));
    }

    /** The shortest of a few timed runs, after one untimed. */
    private static double best(Runnable work) {
        work.run();
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < REPEATS; i++) {
            long start = System.nanoTime();
            work.run();
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return best;
    }
}
