package io.thetalazy.core.kernel;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import io.thetalazy.core.layer.Products;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The state of the infinite-width limit between layers (docs/theory.md#kernel-recursions): the NNGP covariance of the
 * current features between the two input sets ({@code nngp}, [n1, n2] for dense features; architectures with spatial
 * features add axes), the variances of each set ({@code var1} [n1], {@code var2} [n2], with the same extra axes), and
 * the per-layer components K^[1..l] produced so far ([n1, n2] each, or the nngp's shape before a readout reduces them).
 * Immutable by convention: rules return fresh arrays.
 *
 * @param nngp the NNGP covariance Sigma between x1 and x2 of the current features, [n1, n2] on the dense layout
 * @param var1 the variances Sigma(x, x) of the features of x1, [n1] on the dense layout
 * @param var2 the variances of the features of x2, [n2] on the dense layout
 * @param layers the components K^[1..l] produced so far, input side first (copied)
 * @param symmetric whether the two input sets are one (dense layout): nngp and every component are square and
 *     symmetric and var1 equals var2, so rules may compute one triangle and mirror it ({@link DenseActivation} does).
 *     Set by {@link #ofInputs} for x2 == x1 and kept by the copies below; rules that build states from other
 *     arrays drop it (the four-argument constructor).
 * @param gaussian whether the current features are jointly Gaussian in the limit with mean zero: true after a dense or
 *     convolutional layer (a sum over m terms) and after linear maps and sums of Gaussian features, false for the
 *     inputs and after an activation. Rules that add two states' covariances ({@link io.thetalazy.core.layer.Residual})
 *     need it (neural-tangents' {@code is_gaussian}); rules that build states from other arrays drop it.
 * @param layout how the arrays store the covariances: {@link StateLayout#DENSE} (checked: nngp [n1, n2], variances of
 *     rank 1) or a plugin's layout, which owns the rules that depend on it (the activation rule)
 */
public record KernelState(INDArray nngp, INDArray var1, INDArray var2, List<INDArray> layers, boolean symmetric,
        boolean gaussian, StateLayout layout) {
    /**
     * Checks the arrays against the layout: a dense state has nngp [n1, n2] and variances of rank 1; a symmetric one
     * has a square nngp.
     */
    public KernelState {
        requireNonNull(nngp, "nngp is null");
        requireNonNull(var1, "var1 is null");
        requireNonNull(var2, "var2 is null");
        requireNonNull(layout, "layout is null");
        layers = List.copyOf(layers);
        if (layout == StateLayout.DENSE && (nngp.rank() != 2 || var1.rank() != 1 || var2.rank() != 1)) {
            throw new IllegalArgumentException("a dense state has nngp [n1, n2] and variances [n1], [n2], found %s, %s, %s"
                    .formatted(Arrays.toString(nngp.shape()), Arrays.toString(var1.shape()),
                            Arrays.toString(var2.shape())));
        }
        if (symmetric && (nngp.rank() != 2 || nngp.size(0) != nngp.size(1))) {
            throw new IllegalArgumentException("a symmetric state needs a square nngp [n, n], found "
                    + Arrays.toString(nngp.shape()));
        }
    }

    /** A dense state of two input sets not known to be one, of features not known to be Gaussian. */
    public KernelState(INDArray nngp, INDArray var1, INDArray var2, List<INDArray> layers) {
        this(nngp, var1, var2, layers, false, false, StateLayout.DENSE);
    }

    /** A dense state of features not known to be Gaussian. */
    public KernelState(INDArray nngp, INDArray var1, INDArray var2, List<INDArray> layers, boolean symmetric) {
        this(nngp, var1, var2, layers, symmetric, false, StateLayout.DENSE);
    }

    /**
     * The input state of a dense network: Sigma^(0)(x, x') = x.x'/d, with d the number of features (bias coordinate
     * included). For x2 == x1 the state is symmetric, its nngp exactly so (the upper triangle of the product copied
     * over the lower: GEMM output need not be).
     *
     * @param x1 [n1, d]
     * @param x2 [n2, d]
     */
    public static KernelState ofInputs(INDArray x1, INDArray x2) {
        long d = x1.size(1);
        if (x1 == x2 && x1.dataType() == DataType.DOUBLE) {
            // into memory the GEMM's threads touch first (see DenseChain.fresh)
            INDArray nngp = DenseChain.fresh(x1.size(0), x1.size(0));
            Products.gemm(x1, x1, nngp, false, true, 1.0, 0.0);
            nngp.divi(d);
            return symmetric(nngp, x1.size(0));
        }
        INDArray nngp = Products.rowGram(x1, x2, 1.0).divi(d);
        if (x1 == x2) {
            return symmetric(nngp, x1.size(0));
        }
        INDArray var1 = x1.mul(x1).sum(1).divi(d);
        INDArray var2 = x2.mul(x2).sum(1).divi(d);
        return new KernelState(nngp, var1, var2, List.of());
    }

    /** The symmetric input state of one input set from its Gram matrix / d, made exactly symmetric. */
    private static KernelState symmetric(INDArray nngp, long n) {
        UpperTriangle.mirror(nngp);
        // variances exactly equal to the diagonal, so self-correlations are exactly 1 (relu's D has infinite slope
        // there)
        INDArray diagonal = Nd4j.diag(nngp).reshape(n);
        return new KernelState(nngp, diagonal, diagonal.dup(), List.of(), true);
    }

    /**
     * The same components with a new covariance and new variances: what a layer's rule produces (the symmetric and
     * Gaussian flags and the layout are kept).
     */
    public KernelState withNngp(INDArray nngp, INDArray var1, INDArray var2) {
        return new KernelState(nngp, var1, var2, layers, symmetric, gaussian, layout);
    }

    /** The same arrays, with the features declared Gaussian in the limit or not. */
    public KernelState withGaussian(boolean newGaussian) {
        return new KernelState(nngp, var1, var2, layers, symmetric, newGaussian, layout);
    }

    /** Every component so far multiplied by factor (entrywise when factor is an array of the components' shape). */
    public KernelState scaleLayers(INDArray factor) {
        List<INDArray> scaled = new ArrayList<>();
        for (INDArray layer : layers) {
            scaled.add(layer.mul(factor));
        }
        return new KernelState(nngp, var1, var2, scaled, symmetric, gaussian, layout);
    }

    /** Every component so far multiplied by factor (a layer's gain sigma_l^2, a residual branch's tau^2). */
    public KernelState scaleLayers(double factor) {
        List<INDArray> scaled = new ArrayList<>();
        for (INDArray layer : layers) {
            scaled.add(layer.mul(factor));
        }
        return new KernelState(nngp, var1, var2, scaled, symmetric, gaussian, layout);
    }

    /** The same state with the next component K^[l] appended. */
    public KernelState addLayer(INDArray component) {
        List<INDArray> more = new ArrayList<>(layers);
        more.add(component);
        return new KernelState(nngp, var1, var2, more, symmetric, gaussian, layout);
    }

    /** K^[l] for l = 1..L+1. */
    public INDArray layer(int index) {
        return layers.get(index - 1);
    }

    /** Sum of the per-layer components: the NTK of the NTK parametrization (kappa^2/m = 1, mu_l = 1). */
    public INDArray ntk() {
        if (layers.isEmpty()) {
            throw new IllegalStateException("no per-layer components yet: apply the network's kernel rule first");
        }
        INDArray sum = layers.get(0).dup();
        for (int i = 1; i < layers.size(); i++) {
            sum.addi(layers.get(i));
        }
        return sum;
    }

    @Override
    public String toString() {
        return "KernelState[%s, nngp=%s, layers=%d%s%s]".formatted(layout.name(), Arrays.toString(nngp.shape()),
                layers.size(), symmetric ? ", symmetric" : "", gaussian ? ", gaussian" : "");
    }
}
