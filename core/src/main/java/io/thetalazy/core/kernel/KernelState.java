package io.thetalazy.core.kernel;

import static io.thetalazy.core.error.ErrorCode.INVALID_ARGUMENT;
import static io.thetalazy.core.error.ErrorCode.SHAPE_MISMATCH;
import static java.util.Objects.requireNonNull;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.layer.Products;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The state of the infinite-width limit between layers (docs/theory.md#kernel-recursions): the NNGP covariance of the
 * current features between the two input sets ({@code nngp}, [n1, n2] for dense features; architectures with spatial
 * features add axes), the variances of each set ({@code var1} [n1], {@code var2} [n2], with the same extra axes), and
 * the per-layer components K^[1..l] produced so far ([n1, n2] each, or the nngp's shape before a readout reduces them).
 * This is what the layers' rules pass to each other; a network's result is a {@link io.thetalazy.core.layer.KernelLimit}.
 *
 * <p>Ownership (one model for every rule and combinator): a state knows which of its arrays it <em>owns</em>, that is,
 * which memory no one outside the state holds. A rule may overwrite what its input state owns ({@link
 * #mayOverwrite}), so a rule handed a state must not be given one its caller still reads: the caller passes {@link
 * #lent()} instead (a skip connection lends its input to the branch and adds it afterwards). A state built with a
 * constructor or {@link #ofInputs} owns nothing (safe: its builder may keep the arrays); {@link #released} hands all
 * of them over. The states a rule builds from its input ({@link #derive} and the {@code with}/{@code add} methods) own
 * the input's owned arrays they keep and every array the input did not hold (the rule's fresh arrays). Arrays are
 * compared by their memory (ND4J's root data buffer), so a view of an array is the array.
 */
public final class KernelState {
    private final INDArray nngp;
    private final INDArray var1;
    private final INDArray var2;
    private final List<INDArray> layers;
    private final boolean symmetric;
    private final boolean gaussian;
    private final StateLayout layout;
    /** The root data buffers of the arrays this state owns, by identity. */
    private final Set<Object> owned;

    /**
     * A state owning none of its arrays. Checks the arrays against the layout: a dense state has nngp [n1, n2] and
     * variances of rank 1; a symmetric one has a square nngp.
     *
     * @param nngp the NNGP covariance Sigma between x1 and x2 of the current features, [n1, n2] on the dense layout
     * @param var1 the variances Sigma(x, x) of the features of x1, [n1] on the dense layout
     * @param var2 the variances of the features of x2, [n2] on the dense layout
     * @param layers the components K^[1..l] produced so far, input side first (copied)
     * @param symmetric whether the two input sets are one (dense layout): nngp and every component are square and
     *     symmetric and var1 equals var2, so rules may compute one triangle and mirror it ({@link DenseActivation}
     *     does). Set by {@link #ofInputs} for x2 == x1 and kept by {@link #derive}'s callers that keep it true.
     * @param gaussian whether the current features are jointly Gaussian in the limit with mean zero: true after a
     *     dense or convolutional layer (a sum over m terms) and after linear maps and sums of Gaussian features, false
     *     for the inputs and after an activation. Rules that add two states' covariances ({@link
     *     io.thetalazy.core.layer.Residual}) need it (neural-tangents' {@code is_gaussian}).
     * @param layout how the arrays store the covariances: {@link StateLayout#DENSE} (checked: nngp [n1, n2], variances
     *     of rank 1) or a plugin's layout, which owns the rules that depend on it (the activation rule)
     */
    public KernelState(INDArray nngp, INDArray var1, INDArray var2, List<INDArray> layers, boolean symmetric,
            boolean gaussian, StateLayout layout) {
        this(nngp, var1, var2, layers, symmetric, gaussian, layout, Set.of());
    }

    private KernelState(INDArray nngp, INDArray var1, INDArray var2, List<INDArray> layers, boolean symmetric,
            boolean gaussian, StateLayout layout, Set<Object> owned) {
        this.nngp = requireNonNull(nngp, "nngp is null");
        this.var1 = requireNonNull(var1, "var1 is null");
        this.var2 = requireNonNull(var2, "var2 is null");
        this.layout = requireNonNull(layout, "layout is null");
        this.layers = List.copyOf(layers);
        this.symmetric = symmetric;
        this.gaussian = gaussian;
        this.owned = owned;
        if (layout == StateLayout.DENSE && (nngp.rank() != 2 || var1.rank() != 1 || var2.rank() != 1)) {
            throw new FrameworkException(SHAPE_MISMATCH,
                    "a dense state has nngp [n1, n2] and variances [n1], [n2], found %s, %s, %s"
                    .formatted(Arrays.toString(nngp.shape()), Arrays.toString(var1.shape()),
                            Arrays.toString(var2.shape())));
        }
        if (symmetric && (nngp.rank() != 2 || nngp.size(0) != nngp.size(1))) {
            throw new FrameworkException(SHAPE_MISMATCH, "a symmetric state needs a square nngp [n, n], found "
                    + Arrays.toString(nngp.shape()));
        }
    }

    /** A dense state of two input sets not known to be one, of features not known to be Gaussian, owning nothing. */
    public KernelState(INDArray nngp, INDArray var1, INDArray var2, List<INDArray> layers) {
        this(nngp, var1, var2, layers, false, false, StateLayout.DENSE);
    }

    /** A dense state of features not known to be Gaussian, owning nothing. */
    public KernelState(INDArray nngp, INDArray var1, INDArray var2, List<INDArray> layers, boolean symmetric) {
        this(nngp, var1, var2, layers, symmetric, false, StateLayout.DENSE);
    }

    /** The NNGP covariance Sigma between x1 and x2 of the current features, [n1, n2] on the dense layout. */
    public INDArray nngp() {
        return nngp;
    }

    /** The variances Sigma(x, x) of the features of x1, [n1] on the dense layout. */
    public INDArray var1() {
        return var1;
    }

    /** The variances of the features of x2, [n2] on the dense layout. */
    public INDArray var2() {
        return var2;
    }

    /** The components K^[1..l] produced so far, input side first (unmodifiable). */
    public List<INDArray> layers() {
        return layers;
    }

    /** Whether the two input sets are one: nngp and every component square and symmetric, var1 equal to var2. */
    public boolean symmetric() {
        return symmetric;
    }

    /** Whether the current features are jointly Gaussian in the limit with mean zero. */
    public boolean gaussian() {
        return gaussian;
    }

    /** How the arrays store the covariances. */
    public StateLayout layout() {
        return layout;
    }

    /**
     * The same arrays handed over, except any that holds the memory of one of {@code kept} (the inputs the state was
     * computed from, say): rules may overwrite the others.
     */
    public KernelState released(INDArray... kept) {
        Set<Object> keep = identitySet();
        for (INDArray array : kept) {
            keep.add(memory(array));
        }
        Set<Object> all = identitySet();
        for (INDArray array : arrays()) {
            if (!keep.contains(memory(array))) {
                all.add(memory(array));
            }
        }
        return new KernelState(nngp, var1, var2, layers, symmetric, gaussian, layout, all);
    }

    /** The same arrays, owning none of them: for a caller that keeps reading this state after a rule ran on it. */
    public KernelState lent() {
        return owned.isEmpty() ? this
                : new KernelState(nngp, var1, var2, layers, symmetric, gaussian, layout, Set.of());
    }

    /** Whether this state owns the array's memory: no one outside the state holds it. */
    public boolean owns(INDArray array) {
        return owned.contains(memory(array));
    }

    /**
     * Whether a rule may overwrite the array: the state owns its memory and holds it in one role only (a component
     * listed twice is one array, which a rule scales once; a component that is also the covariance, or a view of
     * another array of the state, is shared). Rules that write each distinct component once ({@link #scaleLayers}
     * does) rely on nothing more; a rule that writes per position of the list must also check that the component is
     * not repeated.
     */
    public boolean mayOverwrite(INDArray array) {
        if (!owns(array)) {
            return false;
        }
        Object memory = memory(array);
        Set<INDArray> components = Collections.newSetFromMap(new IdentityHashMap<>());
        components.addAll(layers);
        List<INDArray> roles = new ArrayList<>(components);
        roles.add(nngp);
        roles.add(var1);
        roles.add(var2);
        int uses = 0;
        for (INDArray held : roles) {
            if (memory(held) == memory) {
                uses++;
            }
        }
        return uses == 1;
    }

    /**
     * A rule's result from this state: the arrays this state holds keep their ownership, the others (the rule's fresh
     * arrays, which no one else holds) are owned by the result. The layout is kept.
     */
    public KernelState derive(INDArray newNngp, INDArray newVar1, INDArray newVar2, List<INDArray> newLayers,
            boolean newSymmetric, boolean newGaussian) {
        return derive(newNngp, newVar1, newVar2, newLayers, newSymmetric, newGaussian, layout);
    }

    /** {@link #derive(INDArray, INDArray, INDArray, List, boolean, boolean)} into another layout (a readout's). */
    public KernelState derive(INDArray newNngp, INDArray newVar1, INDArray newVar2, List<INDArray> newLayers,
            boolean newSymmetric, boolean newGaussian, StateLayout newLayout) {
        Set<Object> held = identitySet();
        for (INDArray array : arrays()) {
            held.add(memory(array));
        }
        Set<Object> result = identitySet();
        List<INDArray> all = new ArrayList<>(newLayers);
        all.add(newNngp);
        all.add(newVar1);
        all.add(newVar2);
        for (INDArray array : all) {
            Object memory = memory(array);
            if (!held.contains(memory) || owned.contains(memory)) {
                result.add(memory);
            }
        }
        return new KernelState(newNngp, newVar1, newVar2, newLayers, newSymmetric, newGaussian, newLayout, result);
    }

    /** Whether two arrays hold the same memory (one is the other or a view of it, or both views of one array). */
    public static boolean sameMemory(INDArray a, INDArray b) {
        return memory(a) == memory(b);
    }

    /** The arrays in every role: components (each position), nngp, var1, var2. */
    private List<INDArray> arrays() {
        List<INDArray> all = new ArrayList<>(layers);
        all.add(nngp);
        all.add(var1);
        all.add(var2);
        return all;
    }

    /** The array's memory: the root of ND4J's data buffer (a view's buffer is a child of its array's). */
    private static Object memory(INDArray array) {
        DataBuffer buffer = array.data();
        while (buffer.originalDataBuffer() != null && buffer.originalDataBuffer() != buffer) {
            buffer = buffer.originalDataBuffer();
        }
        return buffer;
    }

    private static Set<Object> identitySet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
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
    public KernelState withNngp(INDArray newNngp, INDArray newVar1, INDArray newVar2) {
        return derive(newNngp, newVar1, newVar2, layers, symmetric, gaussian);
    }

    /** The same arrays, with the features declared Gaussian in the limit or not. */
    public KernelState withGaussian(boolean newGaussian) {
        return new KernelState(nngp, var1, var2, layers, symmetric, newGaussian, layout, owned);
    }

    /**
     * Every component so far multiplied by factor (entrywise when factor is an array of the components' shape), in
     * place where {@link #mayOverwrite} allows.
     */
    public KernelState scaleLayers(INDArray factor) {
        return scaleLayers(a -> a.muli(factor), a -> a.mul(factor));
    }

    /**
     * Every component so far multiplied by factor (a layer's gain sigma_l^2, a residual branch's tau^2), in place
     * where {@link #mayOverwrite} allows.
     */
    public KernelState scaleLayers(double factor) {
        return scaleLayers(a -> a.muli(factor), a -> a.mul(factor));
    }

    /** Each distinct component through inPlace where the state may overwrite it, else through copying. */
    private KernelState scaleLayers(UnaryOperator<INDArray> inPlace, UnaryOperator<INDArray> copying) {
        Map<INDArray, INDArray> scaled = new IdentityHashMap<>();
        List<INDArray> result = new ArrayList<>();
        for (INDArray layer : layers) {
            result.add(scaled.computeIfAbsent(layer, a -> mayOverwrite(a) ? inPlace.apply(a) : copying.apply(a)));
        }
        return derive(nngp, var1, var2, result, symmetric, gaussian);
    }

    /**
     * The same state with the next component K^[l] appended; the state owns it only where it owns its memory already
     * (a rule appends its fresh arrays with {@link #derive}).
     */
    public KernelState addLayer(INDArray component) {
        List<INDArray> more = new ArrayList<>(layers);
        more.add(component);
        return new KernelState(nngp, var1, var2, more, symmetric, gaussian, layout, owned);
    }

    /** K^[l] for l = 1..L+1. */
    public INDArray layer(int index) {
        return layers.get(index - 1);
    }

    /** The sum of the per-layer components, sum_l K^[l] (fresh): the NTK of the NTK parametrization. */
    public INDArray layerSum() {
        if (layers.isEmpty()) {
            throw new FrameworkException(INVALID_ARGUMENT,
                    "no per-layer components yet: apply the network's kernel rule first");
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
