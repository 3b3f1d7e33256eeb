package io.thetalazy.core.kernel;

import static io.thetalazy.core.error.ErrorCode.INSUFFICIENT_MEMORY;
import static io.thetalazy.core.error.ErrorCode.INVALID_ARGUMENT;
import static java.util.Objects.requireNonNull;

import io.thetalazy.core.error.FrameworkException;

/**
 * How the infinite-width limit between x1 [n1, ...] and x2 [n2, ...] is split into blocks of {@code rows} x1 rows by
 * {@code columns} x2 rows, each an independent limit (the kernel of a pair depends on that pair alone). One block when
 * the whole fits; for one input set (x2 = x1) only the blocks on and above the diagonal are computed, the others are
 * their transposes.
 *
 * <p>{@link #plan} sizes the blocks from a {@link KernelFootprint} and the {@link KernelMemory} available, before
 * anything is allocated. It plans with {@link #HEADROOM} of the memory (the estimates leave out the JVM, ND4J's own
 * buffers and arrays the garbage collector frees late). Once the whole does not fit, blocks take at most
 * {@link #MAX_BLOCK_BYTES}: larger ones save nothing (a block costs a few milliseconds of overhead) and smaller ones
 * skip more of the symmetric half.
 *
 * @param n1 rows of x1
 * @param n2 rows of x2
 * @param symmetric whether x2 is x1 (then rows = columns)
 * @param rows x1 rows per block, 1..n1
 * @param columns x2 rows per block, 1..n2
 */
public record KernelTiling(long n1, long n2, boolean symmetric, long rows, long columns) {
    /** Share of the available memory a plan may use. */
    public static final double HEADROOM = 0.5;
    /**
     * Largest block, in bytes of its footprint, once the limit is computed in blocks: 128 MiB. A block costs about a
     * hundred ND4J calls (milliseconds); for x2 = x1 smaller blocks compute fewer pairs twice (a depth-3 CNTK on 64
     * images of 14 x 14 with the global-average readout: 2304 pairs in blocks of 8, 2904 in blocks of 22, against
     * 2080 distinct pairs).
     */
    public static final double MAX_BLOCK_BYTES = 1L << 27;

    /** Checks that the blocks fit the inputs ({@code 1 <= rows <= n1}, ...), square ones for one input set. */
    public KernelTiling {
        if (n1 < 1 || n2 < 1 || rows < 1 || rows > n1 || columns < 1 || columns > n2
                || (symmetric && (n1 != n2 || rows != columns))) {
            throw new FrameworkException(INVALID_ARGUMENT,
                    "invalid tiling: %d x %d inputs in blocks of %d x %d (symmetric: %s)"
                    .formatted(n1, n2, rows, columns, symmetric));
        }
    }

    /** One block: the whole limit at once. */
    public static KernelTiling whole(long n1, long n2, boolean symmetric) {
        return new KernelTiling(n1, n2, symmetric, n1, n2);
    }

    /**
     * The blocks for a footprint within the memory available: the whole when it fits, else the fewest blocks of at most
     * {@link #MAX_BLOCK_BYTES} that fit beside the assembled results ({@code resultArrays} arrays of n1 n2 doubles).
     * Fails with INSUFFICIENT_MEMORY, saying what is needed and what to do, when even one pair does not fit.
     */
    public static KernelTiling plan(long n1, long n2, boolean symmetric, int resultArrays, KernelFootprint footprint,
            KernelMemory memory) {
        requireNonNull(footprint, "footprint is null");
        requireNonNull(memory, "memory is null");
        double offHeap = memory.offHeapBytes() * HEADROOM;
        double heap = memory.heapBytes() * HEADROOM;
        if (footprint.offHeapBytes(n1, n2) <= offHeap && footprint.heapBytes(n1, n2) <= heap) {
            return whole(n1, n2, symmetric);
        }
        double results = (double) Double.BYTES * (resultArrays * (double) n1 * n2 + n1 + n2);
        double block = Math.min(offHeap - results, MAX_BLOCK_BYTES);
        long side = largestSquare(footprint, block, heap);
        if (side < 1) {
            throw new FrameworkException(INSUFFICIENT_MEMORY, ("the infinite-width limit of %d x %d input pairs needs "
                    + "about %s (%s per pair%s), more than the %s it may use (%.0f%% of the available %s: %s); even "
                    + "in blocks, one pair needs %s%s beside the %s of the %d x %d results; %s").formatted(n1, n2,
                            KernelMemory.format(footprint.offHeapBytes(n1, n2)),
                            KernelMemory.format(footprint.pairBytes()), heapPart(footprint, n1, n2),
                            KernelMemory.format(offHeap), 100 * HEADROOM, KernelMemory.format(memory.offHeapBytes()),
                            memory.description(), KernelMemory.format(footprint.offHeapBytes(1, 1)),
                            footprint.heapPairBytes() > 0 ? " and %s of Java heap".formatted(
                                    KernelMemory.format(footprint.heapPairBytes())) : "",
                            KernelMemory.format(results), n1, n2, footprint.advice()));
        }
        if (symmetric) {
            long rows = balanced(n1, side);
            return new KernelTiling(n1, n2, true, rows, rows);
        }
        long rows = Math.min(side, n1);
        long columns = Math.min(side, n2);
        if (rows == n1) {
            columns = Math.min(n2, largestColumns(footprint, rows, block, heap));
        } else if (columns == n2) {
            rows = Math.min(n1, largestColumns(footprint, columns, block, heap));   // the footprint is symmetric
        }
        return new KernelTiling(n1, n2, false, balanced(n1, rows), balanced(n2, columns));
    }

    /** Blocks along x1. */
    public long rowBlocks() {
        return (n1 + rows - 1) / rows;
    }

    /** Blocks along x2. */
    public long columnBlocks() {
        return (n2 + columns - 1) / columns;
    }

    /** Blocks computed: all of them, or those on and above the diagonal for one input set. */
    public long blocks() {
        long r = rowBlocks();
        return symmetric ? r * (r + 1) / 2 : r * columnBlocks();
    }

    /** Whether this is one block, the whole limit at once. */
    public boolean isWhole() {
        return rows == n1 && columns == n2;
    }

    /** The largest b with footprint(b, b) within both budgets; 0 when not even one pair fits. */
    private static long largestSquare(KernelFootprint footprint, double offHeap, double heap) {
        if (offHeap <= 0) {
            return 0;
        }
        double p = footprint.pairBytes();
        double s = footprint.sampleBytes();
        // p b^2 + 2 s b <= offHeap
        double side = (-s + Math.sqrt(s * s + p * offHeap)) / p;
        if (footprint.heapPairBytes() > 0) {
            side = Math.min(side, Math.sqrt(heap / footprint.heapPairBytes()));
        }
        return (long) Math.floor(side);
    }

    /** The largest c with footprint(rows, c) within both budgets (at least 1: rows x 1 fits when a square does). */
    private static long largestColumns(KernelFootprint footprint, long rows, double offHeap, double heap) {
        double c = (offHeap - footprint.sampleBytes() * rows) / (footprint.pairBytes() * rows + footprint.sampleBytes());
        if (footprint.heapPairBytes() > 0) {
            c = Math.min(c, heap / (footprint.heapPairBytes() * rows));
        }
        return Math.max(1, (long) Math.floor(c));
    }

    /** Blocks of at most max rows, as even as possible: ceil(n / ceil(n / max)). */
    private static long balanced(long n, long max) {
        long count = (n + max - 1) / max;
        return (n + count - 1) / count;
    }

    private static String heapPart(KernelFootprint footprint, long n1, long n2) {
        return footprint.heapPairBytes() > 0
                ? ", and %s of Java heap".formatted(KernelMemory.format(footprint.heapBytes(n1, n2))) : "";
    }
}
