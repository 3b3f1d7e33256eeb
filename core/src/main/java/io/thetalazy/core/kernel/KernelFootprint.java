package io.thetalazy.core.kernel;

import static io.thetalazy.core.error.ErrorCode.INVALID_ARGUMENT;
import static java.util.Objects.requireNonNull;

import io.thetalazy.core.error.FrameworkException;

/**
 * The memory the infinite-width limit of a network needs for n1 x n2 input pairs, at the peak of its kernel rules:
 * {@code pairBytes n1 n2 + sampleBytes (n1 + n2)} off the Java heap and {@code heapPairBytes n1 n2} on it. The kernel
 * of a pair (x1_a, x2_b) depends on that pair alone, so a network whose limit does not fit computes it in blocks
 * ({@link KernelTiling}); the estimate sizes them before anything is allocated.
 *
 * @param pairBytes off-heap bytes per pair: the arrays of the kernel state alive at once, times their entries per pair
 * @param sampleBytes off-heap bytes per sample of x1 or x2 (its variances)
 * @param heapPairBytes Java heap bytes per pair (entrywise passes on Java arrays; 0 where the rules stream)
 * @param advice what to do when even one pair does not fit, ending the INSUFFICIENT_MEMORY message
 */
public record KernelFootprint(double pairBytes, double sampleBytes, double heapPairBytes, String advice) {
    /** Arrays of a dense state alive at once besides the components: nngp, a new covariance, Sigma, D, c11, c22. */
    private static final int DENSE_WORKING_ARRAYS = 6;
    /** Java heap arrays of an entrywise dual pass without a row form: c11, c22, c12 and the result. */
    public static final int ENTRYWISE_HEAP_ARRAYS = 4;

    /** Checks that the bytes per pair are positive and finite and the others non-negative. */
    public KernelFootprint {
        requireNonNull(advice, "advice is null");
        if (!(pairBytes > 0) || !(sampleBytes >= 0) || !(heapPairBytes >= 0) || Double.isInfinite(pairBytes)) {
            throw new FrameworkException(INVALID_ARGUMENT,
                    "footprint must be positive and finite per pair, found %s, %s, %s"
                    .formatted(pairBytes, sampleBytes, heapPairBytes));
        }
    }

    /**
     * The dense layout of a network with {@code depth} hidden layers: its components and the working arrays of one
     * layer, each n1 n2 doubles; duals without a row form ({@link GaussianDual#hasRows}) also copy four arrays of that
     * size onto the Java heap.
     */
    public static KernelFootprint dense(int depth, GaussianDual dual) {
        double arrays = 2 * (depth + 1) + DENSE_WORKING_ARRAYS;
        double heap = dual.hasRows() ? 0 : ENTRYWISE_HEAP_ARRAYS * Double.BYTES;
        return new KernelFootprint(arrays * Double.BYTES, 4 * Double.BYTES, heap,
                "raise the memory limits (-Xmx, -Dorg.bytedeco.javacpp.maxphysicalbytes; bin/thetalazy reads "
                        + "THETALAZY_JAVA_OPTS)");
    }

    /** Off-heap bytes for n1 x n2 pairs. */
    public double offHeapBytes(long n1, long n2) {
        return pairBytes * n1 * n2 + sampleBytes * (n1 + n2);
    }

    /** Java heap bytes for n1 x n2 pairs. */
    public double heapBytes(long n1, long n2) {
        return heapPairBytes * n1 * n2;
    }
}
