package io.thetalazy.core.kernel;


/**
 * How a kernel state stores its covariances, an explicit part of every {@link KernelState}. Core knows the dense
 * layout ({@link #DENSE}: nngp [n1, n2], variances [n1] and [n2]); layouts of other features (cnn's spatial ones)
 * belong to the plugin that defines them and implement the rules that depend on the layout, so core's layers call
 * them without knowing their arrays.
 */
public interface StateLayout {
    /** The dense layout, with its activation rule ({@link DenseLayout}). */
    StateLayout DENSE = new DenseLayout();

    /** The layout's name, for messages. */
    String name();

    /**
     * The activation rule (docs/theory.md#kernel-recursions) on a state of this layout: Sigma = E phi(u)phi(v) becomes
     * the nngp, every component is multiplied entrywise by D = E phi'(u)phi'(v), the variances go through the dual;
     * the arrays the state may overwrite ({@link KernelState#mayOverwrite}) may be. The result has this layout and is
     * not Gaussian.
     */
    KernelState activation(GaussianDual dual, KernelState state);
}
