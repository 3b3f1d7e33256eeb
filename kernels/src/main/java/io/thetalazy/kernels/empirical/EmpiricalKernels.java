package io.thetalazy.kernels.empirical;

import static io.thetalazy.core.error.ErrorCode.INVALID_ARGUMENT;
import static java.util.Objects.requireNonNull;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.Tape;
import io.thetalazy.core.layer.Params;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Empirical per-layer tangent kernels Theta_l(x1, x2) (l = 1..L+1, docs/theory.md#kernel-recursions) by contraction:
 * one forward and one backward pass of unit output cotangents per input set, then each layer's {@code tangentGram}
 * contracts its recorded inputs and cotangents (a dense layer: beta^2 s^2 (g1 g2^T) o (x1 x2^T), two GEMMs), so the n x
 * P Jacobian is never formed [JGH; neural-tangents' empirical NTK by structured derivatives]. Layers that send no
 * contraction fall back to {@link ExplicitGradientKernels} for their index.
 *
 * <p>Before allocating, the memory a request needs is estimated (outputs 8 (L+1) n1 n2 bytes, Gram temporaries, tapes
 * of about 32 n sum_l (in_l + out_l) bytes) and compared with the {@link MemoryBudget}; a request that does not fit is
 * refused with INSUFFICIENT_MEMORY and the tile size at which {@link #computeTiled} would serve it.
 */
public final class EmpiricalKernels {
    /** Transient [n1, n2] arrays besides the outputs: x1 x2^T, g1 g2^T and one sum (Dense's contraction). */
    private static final int TEMPORARIES = 3;

    /**
     * Below this many bytes a request is not checked against the process's memory: reading it (JavaCPP's counters,
     * /proc) costs more than a small kernel, which the trainer's adaptive step computes at every step.
     */
    static final long UNCHECKED_BYTES = 64L << 20;

    private final Network network;
    private final Supplier<MemoryBudget> budget;
    private final boolean processBudget;
    // forward and backward arrays kept between calls (first touch of fresh memory is slow:
    // docs/numerics.md#fresh-memory)
    private final Tape tape1 = new Tape();
    private final Tape tape2 = new Tape();

    private EmpiricalKernels(Network network, Supplier<MemoryBudget> budget, boolean processBudget) {
        this.network = requireNonNull(network, "network is null");
        this.budget = requireNonNull(budget, "budget is null");
        this.processBudget = processBudget;
    }

    /**
     * Kernels of a network, checked against the memory the process has at each call (requests under
     * {@value #UNCHECKED_BYTES} bytes are not checked).
     */
    public static EmpiricalKernels of(Network network) {
        return new EmpiricalKernels(network, MemoryBudget::ofProcess, true);
    }

    /** The same computation checked against a fixed budget (every request). */
    public EmpiricalKernels withBudget(MemoryBudget fixed) {
        requireNonNull(fixed, "fixed is null");
        return new EmpiricalKernels(network, () -> fixed, false);
    }

    /** The budget a request of {@code bytes} is checked against, or null when it is too small to check. */
    private MemoryBudget budgetFor(long bytes) {
        return processBudget && bytes < UNCHECKED_BYTES ? null : budget.get();
    }

    /** The network whose kernels this computes. */
    public Network network() {
        return network;
    }

    /** The symmetric kernels Theta_l(x, x) [n, n] of one input set x [n, ...]. */
    public TangentKernels compute(Params params, INDArray x) {
        return compute(params, x, null);
    }

    /**
     * Theta_l(x1, x2) [n1, n2] for l = 1..L+1.
     *
     * @param x2 the second input set, or null (or x1 itself) for the symmetric kernels of x1
     * @throws io.thetalazy.core.error.FrameworkException INSUFFICIENT_MEMORY when the request does not fit (use
     *     {@link #computeTiled}), SHAPE_MISMATCH or NON_FINITE_VALUE for bad inputs, NON_FINITE_VALUE when a kernel
     *     overflows
     */
    public TangentKernels compute(Params params, INDArray x1, INDArray x2) {
        requireNonNull(params, "params is null");
        INDArray second = secondSet(x1, x2);
        boolean symmetric = second == x1;
        long n1 = x1.size(0);
        long n2 = second.size(0);
        long needed = requiredBytes(n1, n2, symmetric);
        MemoryBudget available = budgetFor(needed);
        if (available != null && !available.fits(needed)) {
            available.require(needed, what(n1, n2), tileAdvice(n1, n2, symmetric, available));
        }
        Contraction contraction = contract(params, x1, second);
        return checked(TangentKernels.of(network, contraction.layers(), contraction.biasParts(), symmetric));
    }

    /**
     * The symmetric kernels Theta_l(x, x) of a forward pass's inputs x, on that pass's tapes
     * ({@link Network#tangentKernels(Params, Network.Forward, io.thetalazy.core.kernel.KernelSink)}): only the backward
     * pass of unit cotangents and the contractions, no forward pass. The trainer's step-size policy uses it; float32
     * parameters take {@link #compute(Params, INDArray)} (kernels are float64).
     */
    public TangentKernels compute(Params params, Network.Forward forward) {
        requireNonNull(params, "params is null");
        requireNonNull(forward, "forward is null");
        INDArray x = forward.input();
        if (network.dataType(params) != org.nd4j.linalg.api.buffer.DataType.DOUBLE) {
            return compute(params, x);
        }
        long n = x.size(0);
        long needed = MemoryBudget.product(8, kernelArrays() + TEMPORARIES, n, n);
        MemoryBudget available = budgetFor(needed);
        if (available != null && !available.fits(needed)) {
            available.require(needed, what(n, n), tileAdvice(n, n, true, available));
        }
        int count = network.trainables().size();
        LayerKernelAccumulator sink = new LayerKernelAccumulator(count, n, n);
        network.tangentKernels(params, forward, sink);
        Contraction contraction = assemble(sink, params, x, x);
        return checked(TangentKernels.of(network, contraction.layers(), contraction.biasParts(), true));
    }

    /**
     * The same kernels computed in blocks of at most tileSize rows of x1 and tileSize rows of x2, assembled into the
     * full [n1, n2] matrices: the tapes and temporaries then scale with the tile, only the outputs with n1 n2. For
     * symmetric kernels only the blocks on and above the diagonal are computed, the others are their transposes.
     *
     * @param x2 the second input set, or null (or x1 itself) for the symmetric kernels of x1
     */
    public TangentKernels computeTiled(Params params, INDArray x1, INDArray x2, int tileSize) {
        requireNonNull(params, "params is null");
        if (tileSize < 1) {
            throw new FrameworkException(INVALID_ARGUMENT, "tile size must be positive, found " + tileSize);
        }
        INDArray second = secondSet(x1, x2);
        boolean symmetric = second == x1;
        long n1 = x1.size(0);
        long n2 = second.size(0);
        long needed = requiredBytesTiled(n1, n2, tileSize, symmetric);
        MemoryBudget available = budgetFor(needed);
        if (available != null && !available.fits(needed)) {
            available.require(needed, what(n1, n2) + " in tiles of " + tileSize, tileAdvice(n1, n2, symmetric, available));
        }
        int count = network.trainables().size();
        List<INDArray> outputs = new ArrayList<>();
        for (int l = 0; l < count; l++) {
            outputs.add(Nd4j.zeros(x1.dataType(), n1, n2));
        }
        Map<Integer, INDArray> biasOutputs = new TreeMap<>();
        for (long r0 = 0; r0 < n1; r0 += tileSize) {
            long r1 = Math.min(n1, r0 + tileSize);
            INDArray rows = Batches.rows(x1, r0, r1);
            for (long c0 = symmetric ? r0 : 0; c0 < n2; c0 += tileSize) {
                long c1 = Math.min(n2, c0 + tileSize);
                boolean diagonal = symmetric && c0 == r0;
                INDArray columns = diagonal ? rows : Batches.rows(second, c0, c1);
                Contraction blocks = contract(params, rows, columns);
                for (int l = 0; l < count; l++) {
                    place(outputs.get(l), blocks.layers().get(l), r0, r1, c0, c1, symmetric && !diagonal);
                }
                for (Map.Entry<Integer, INDArray> bias : blocks.biasParts().entrySet()) {
                    INDArray output = biasOutputs.computeIfAbsent(bias.getKey(), l -> Nd4j.zeros(x1.dataType(), n1, n2));
                    place(output, bias.getValue(), r0, r1, c0, c1, symmetric && !diagonal);
                }
            }
        }
        return checked(TangentKernels.of(network, outputs, biasOutputs, symmetric));
    }

    /** Writes a block at rows r0..r1 and columns c0..c1 of output, and its transpose at the mirrored place. */
    private static void place(INDArray output, INDArray block, long r0, long r1, long c0, long c1, boolean mirror) {
        output.get(NDArrayIndex.interval(r0, r1), NDArrayIndex.interval(c0, c1)).assign(block);
        if (mirror) {
            output.get(NDArrayIndex.interval(c0, c1), NDArrayIndex.interval(r0, r1)).assign(block.transpose());
        }
    }

    /** The training kernel Theta_train(x, x) = sum_l mu_l Theta_l [n, n] (step sizes, observers, rates). */
    public INDArray trainingKernel(Params params, INDArray x) {
        return compute(params, x).train();
    }

    /** Estimated bytes {@link #compute} allocates for n1 x n2 kernels. */
    public long requiredBytes(long n1, long n2, boolean symmetric) {
        long layers = kernelArrays();
        long outputs = MemoryBudget.product(8, layers + TEMPORARIES, n1, n2);
        long tapes = MemoryBudget.product(tapeBytesPerSample(), symmetric ? n1 : MemoryBudget.sum(n1, n2));
        return MemoryBudget.sum(outputs, tapes);
    }

    /**
     * Estimated bytes {@link #computeTiled} allocates: the full outputs plus one tile's blocks, temporaries and tapes.
     */
    public long requiredBytesTiled(long n1, long n2, int tileSize, boolean symmetric) {
        long layers = kernelArrays();
        long rows = Math.min(n1, tileSize);
        long columns = Math.min(n2, tileSize);
        long outputs = MemoryBudget.product(8, layers, n1, n2);
        long blocks = MemoryBudget.product(8, layers + TEMPORARIES, rows, columns);
        long tapes = MemoryBudget.product(tapeBytesPerSample(), MemoryBudget.sum(rows, columns));
        return MemoryBudget.sum(outputs, blocks, tapes);
    }

    /** The [n1, n2] arrays a result holds: Theta_l for every layer and the bias part of each layer with a bias. */
    private long kernelArrays() {
        return network.trainables().size() + network.trainables().stream().filter(l -> l.bias().isPresent()).count();
    }

    private long tapeBytesPerSample() {
        return Batches.tapeBytesPerSample(network.trainables(), network.spec().inputShape(), network.antisymmetric());
    }

    private String what(long n1, long n2) {
        return "The empirical tangent kernels Theta_1..Theta_%d of n1 = %d and n2 = %d samples (width %d)"
                .formatted(network.trainables().size(), n1, n2, network.width());
    }

    private String tileAdvice(long n1, long n2, boolean symmetric, MemoryBudget available) {
        long outputs = MemoryBudget.product(8, network.trainables().size(), n1, n2);
        if (!available.fits(outputs)) {
            return "the %d [n1, n2] output matrices alone need %s: use fewer samples (split x1 or x2 and compute the "
                    .formatted(network.trainables().size(), MemoryBudget.format(outputs))
                    + "blocks separately) or free memory";
        }
        long largest = 0;
        long low = 1;
        long high = Math.max(n1, n2);
        while (low <= high) {
            long middle = (low + high) >>> 1;
            if (available.fits(requiredBytesTiled(n1, n2, (int) Math.min(Integer.MAX_VALUE, middle), symmetric))) {
                largest = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        if (largest == 0) {
            return "even one sample per tile does not fit: free memory or reduce the width";
        }
        return "batch x1 and x2 into tiles: EmpiricalKernels.computeTiled(params, x1, x2, tileSize) with tileSize <= "
                + largest;
    }

    /** Checks both input sets; the second is x1 itself when x2 is null or x1 (symmetric kernels). */
    private INDArray secondSet(INDArray x1, INDArray x2) {
        network.checkInput(x1);
        if (x2 == null || x2 == x1) {
            return x1;
        }
        network.checkInput(x2);
        return x2;
    }

    /** Theta_1..Theta_{L+1} of one contraction pass, and the bias parts Theta^b_l of the layers that have biases. */
    private record Contraction(List<INDArray> layers, Map<Integer, INDArray> biasParts) {}

    /** One contraction pass; b == a for symmetric kernels (one forward and backward pass). */
    private Contraction contract(Params params, INDArray a, INDArray b) {
        int count = network.trainables().size();
        LayerKernelAccumulator sink = new LayerKernelAccumulator(count, a.size(0), b.size(0));
        network.tangentKernels(params, a, b, sink, tape1, tape2);
        return assemble(sink, params, a, b);
    }

    /** The layers' sums, with the explicit-gradient fallback for the indices no layer sent. */
    private Contraction assemble(LayerKernelAccumulator sink, Params params, INDArray a, INDArray b) {
        int count = network.trainables().size();
        List<Integer> missing = new ArrayList<>();
        for (int l = 1; l <= count; l++) {
            if (sink.layer(l) == null) {
                missing.add(l);
            }
        }
        List<INDArray> fallback = missing.isEmpty() ? List.of()
                : ExplicitGradientKernels.of(network).withBudget(budget.get()).layerKernels(params, a, b, missing);
        List<INDArray> layers = new ArrayList<>();
        Map<Integer, INDArray> biasParts = new TreeMap<>();
        for (int l = 1; l <= count; l++) {
            int position = missing.indexOf(l);
            layers.add(position >= 0 ? fallback.get(position) : sink.layer(l));
            if (sink.bias(l) != null) {
                biasParts.put(l, sink.bias(l));
            }
        }
        return new Contraction(layers, biasParts);
    }

    private static TangentKernels checked(TangentKernels kernels) {
        for (int l = 1; l <= kernels.layerCount(); l++) {
            Batches.requireFinite(kernels.theta(l), "Theta_" + l,
                    "the parameters or activations overflowed (check the learning rate and the inputs)");
        }
        return kernels;
    }
}
