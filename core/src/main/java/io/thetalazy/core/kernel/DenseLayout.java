package io.thetalazy.core.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The dense layout: nngp [n1, n2], var1 [n1], var2 [n2]. Its activation rule is the fused one-pass rule
 * ({@link DenseActivation}) for duals with a row form on contiguous float64 arrays, else the dual's array methods on
 * broadcast variances, multiplying the components by D in place where the state may overwrite them ({@link KernelState#scaleLayers}).
 */
record DenseLayout() implements StateLayout {
    @Override
    public String name() {
        return "dense";
    }

    @Override
    public KernelState activation(GaussianDual dual, KernelState state) {
        if (DenseActivation.applies(dual, state)) {
            return DenseActivation.apply(dual, state);
        }
        INDArray nngp = state.nngp();
        long n1 = nngp.size(0);
        long n2 = nngp.size(1);
        INDArray c11 = state.var1().reshape(n1, 1).broadcast(n1, n2);
        INDArray c22 = state.var2().reshape(1, n2).broadcast(n1, n2);
        INDArray sigma = dual.sigma(c11, c22, nngp);
        INDArray derivative = dual.derivative(c11, c22, nngp);
        INDArray var1 = dual.sigma(state.var1(), state.var1(), state.var1());
        INDArray var2 = dual.sigma(state.var2(), state.var2(), state.var2());
        KernelState scaled = state.scaleLayers(derivative);
        return scaled.derive(sigma, var1, var2, scaled.layers(), false, false);
    }
}
