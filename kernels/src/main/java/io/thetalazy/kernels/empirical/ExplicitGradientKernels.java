package io.thetalazy.kernels.empirical;

import static java.util.Objects.requireNonNull;

import io.thetalazy.core.layer.Gradients;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.layer.Products;
import io.thetalazy.core.layer.TrainableLayer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The slow reference for empirical tangent kernels: explicit per-sample gradients of f(x_i) with respect to every
 * parameter (one backward pass of a one-hot output cotangent per sample, through {@link Network#gradients}), flattened
 * per layer in normalized units into J_l [n, P_l], then Theta_l = J_l(x1) J_l(x2)^T (docs/theory.md#what-correct-means:
 * the contraction must equal this to 1e-10). A layer's columns are, in order, its weight times beta_l, its bias times
 * nu_l, and the same for the antisymmetric copy. It is the test oracle of {@link EmpiricalKernels} and its fallback for
 * layers without a contraction; it loops over samples and holds n x P numbers, so it is for small networks.
 */
public final class ExplicitGradientKernels {
    private final Network network;
    private final Supplier<MemoryBudget> budget;

    private ExplicitGradientKernels(Network network, Supplier<MemoryBudget> budget) {
        this.network = requireNonNull(network, "network is null");
        this.budget = requireNonNull(budget, "budget is null");
    }

    /** Kernels of a network, checked against the memory the process has at each call. */
    public static ExplicitGradientKernels of(Network network) {
        return new ExplicitGradientKernels(network, MemoryBudget::ofProcess);
    }

    /** The same computation checked against a fixed budget. */
    public ExplicitGradientKernels withBudget(MemoryBudget fixed) {
        requireNonNull(fixed, "fixed is null");
        return new ExplicitGradientKernels(network, () -> fixed);
    }

    /** One flattened parameter array of a layer: its name, its normalizer (beta or nu) and its mobility. */
    private record Block(String name, double normalizer, double mobility) {}

    private List<Block> blocks(TrainableLayer layer) {
        List<Block> blocks = new ArrayList<>();
        double beta = layer.weight().initStd().value();
        blocks.add(new Block(layer.name(), beta, layer.weight().lrMultiplier().value() / (beta * beta)));
        if (layer.bias().isPresent()) {
            double nu = layer.biasNormalizer();
            blocks.add(new Block(layer.biasName(), nu, layer.bias().get().lrMultiplier().value() / (nu * nu)));
        }
        if (network.antisymmetric()) {
            for (Block block : List.copyOf(blocks)) {
                blocks.add(new Block(block.name() + Network.MIRROR, block.normalizer(), block.mobility()));
            }
        }
        return blocks;
    }

    /** The number of parameters P_l of layer l (both antisymmetric copies). */
    private long parameterCount(Params params, TrainableLayer layer) {
        long count = 0;
        for (Block block : blocks(layer)) {
            count += params.get(block.name()).length();
        }
        return count;
    }

    /**
     * J_l [n, P_l] for every trainable layer: row i holds df(x_i)/dZhat^[l] (weights times beta_l, biases times nu_l,
     * both copies), flattened in C order.
     */
    public List<INDArray> jacobians(Params params, INDArray x) {
        requireNonNull(params, "params is null");
        network.checkInput(x);
        List<Integer> all = new ArrayList<>();
        for (int l = 1; l <= network.trainables().size(); l++) {
            all.add(l);
        }
        budget.get().require(jacobianBytes(params, x.size(0), all), "The explicit Jacobians of %d samples"
                .formatted(x.size(0)), "use EmpiricalKernels (no Jacobian) or fewer samples");
        return jacobians(params, x, all, false);
    }

    private List<INDArray> jacobians(Params params, INDArray x, List<Integer> indices, boolean scaleByMobility) {
        List<TrainableLayer> layers = network.trainables();
        long n = x.size(0);
        List<INDArray> jacobians = new ArrayList<>();
        for (int index : indices) {
            jacobians.add(Nd4j.zeros(DataType.DOUBLE, n, parameterCount(params, layers.get(index - 1))));
        }
        Network.Forward forward = network.forward(params, x);
        for (long i = 0; i < n; i++) {
            INDArray oneHot = Nd4j.zeros(forward.output().dataType(), n, 1);
            oneHot.putScalar(i, 0, 1.0);
            Gradients gradients = network.gradients(params, forward, oneHot);
            for (int k = 0; k < indices.size(); k++) {
                long offset = 0;
                for (Block block : blocks(layers.get(indices.get(k) - 1))) {
                    INDArray gradient = gradients.get(block.name());
                    long size = gradient.length();
                    double scale = block.normalizer() * (scaleByMobility ? Math.sqrt(block.mobility()) : 1);
                    jacobians.get(k).get(NDArrayIndex.point(i), NDArrayIndex.interval(offset, offset + size))
                            .assign(gradient.reshape('c', 1, size).mul(scale));
                    offset += size;
                }
            }
        }
        return jacobians;
    }

    /** Whether every bias has the mobility of its layer's weight (then Theta_train = sum_l mu_l Theta_l). */
    private boolean biasesMoveWithWeights() {
        for (TrainableLayer layer : network.trainables()) {
            if (layer.bias().isPresent()
                    && TangentKernels.biasMobility(layer) != layer.weight().mobility().value()) {
                return false;
            }
        }
        return true;
    }

    /** The symmetric kernels Theta_l(x, x). */
    public TangentKernels compute(Params params, INDArray x) {
        return compute(params, x, null);
    }

    /** Theta_l(x1, x2) = J_l(x1) J_l(x2)^T for l = 1..L+1; x2 null (or x1) for the symmetric kernels of x1. */
    public TangentKernels compute(Params params, INDArray x1, INDArray x2) {
        List<Integer> all = new ArrayList<>();
        for (int l = 1; l <= network.trainables().size(); l++) {
            all.add(l);
        }
        boolean symmetric = x2 == null || x2 == x1;
        List<INDArray> layers = layerKernels(params, x1, symmetric ? x1 : x2, all);
        TangentKernels kernels = TangentKernels.of(network, layers, symmetric);
        if (!biasesMoveWithWeights()) {
            // the correction is what the exact training kernel adds to the mobility-weighted sum
            INDArray correction = trainingKernel(params, x1, symmetric ? x1 : x2).subi(kernels.train());
            kernels = new TangentKernels(layers, kernels.mobilities(), kernels.kappa(), kernels.width(), symmetric,
                    correction);
        }
        return kernels;
    }

    /**
     * The exact training kernel of gradient descent in raw units, sum over parameter arrays p of
     * eta_p (df/dp)(x1) (df/dp)(x2)^T [n1, n2]: equal to sum_l mu_l Theta_l when every bias has its weight's mobility,
     * and otherwise the kernel that governs de/dt = -(eta/n) Theta_train e (bias mobility eta^b_l / nu_l^2,
     * docs/theory.md#biases).
     */
    public INDArray trainingKernel(Params params, INDArray x1, INDArray x2) {
        requireNonNull(params, "params is null");
        network.checkInput(x1);
        boolean symmetric = x2 == null || x2 == x1;
        INDArray second = symmetric ? x1 : x2;
        network.checkInput(second);
        List<Integer> all = new ArrayList<>();
        for (int l = 1; l <= network.trainables().size(); l++) {
            all.add(l);
        }
        budget.get().require(requiredBytes(params, x1.size(0), second.size(0), all), "The explicit training kernel",
                "use EmpiricalKernels.trainingKernel or fewer samples");
        List<INDArray> j1 = jacobians(params, x1, all, true);
        List<INDArray> j2 = symmetric ? j1 : jacobians(params, second, all, true);
        INDArray sum = null;
        for (int k = 0; k < all.size(); k++) {
            INDArray product = Products.rowGram(j1.get(k), j2.get(k), 1.0);
            sum = sum == null ? product : sum.addi(product);
        }
        return sum;
    }

    /** Theta_l(a, b) for the given layer indices only (b == a: one Jacobian); the fallback of the contraction. */
    List<INDArray> layerKernels(Params params, INDArray a, INDArray b, List<Integer> indices) {
        requireNonNull(params, "params is null");
        network.checkInput(a);
        if (b != a) {
            network.checkInput(b);
        }
        budget.get().require(requiredBytes(params, a.size(0), b == a ? 0 : b.size(0), indices),
                "The explicit-gradient kernels of layers %s for n1 = %d and n2 = %d samples".formatted(indices,
                        a.size(0), b.size(0)),
                "compute them in tiles (EmpiricalKernels.computeTiled) or use fewer samples");
        List<INDArray> ja = jacobians(params, a, indices, false);
        List<INDArray> jb = b == a ? ja : jacobians(params, b, indices, false);
        List<INDArray> kernels = new ArrayList<>();
        for (int k = 0; k < indices.size(); k++) {
            kernels.add(Products.rowGram(ja.get(k), jb.get(k), 1.0));
        }
        return kernels;
    }

    /** Estimated bytes: both Jacobians, the outputs, one set of gradients and the tapes of one forward pass. */
    private long requiredBytes(Params params, long n1, long n2, List<Integer> indices) {
        long outputs = MemoryBudget.product(8, indices.size(), n1, Math.max(n2, n1));
        return MemoryBudget.sum(jacobianBytes(params, MemoryBudget.sum(n1, n2), indices), outputs);
    }

    private long jacobianBytes(Params params, long n, List<Integer> indices) {
        long parameters = 0;
        for (int index : indices) {
            parameters += parameterCount(params, network.trainables().get(index - 1));
        }
        long allParameters = 0;
        for (String name : params.names()) {
            allParameters += params.get(name).length();
        }
        long tapes = MemoryBudget.product(Batches.tapeBytesPerSample(network.trainables(), network.spec().inputShape(),
                network.antisymmetric()), n);
        return MemoryBudget.sum(MemoryBudget.product(8, n, parameters), MemoryBudget.product(8, allParameters), tapes);
    }
}
