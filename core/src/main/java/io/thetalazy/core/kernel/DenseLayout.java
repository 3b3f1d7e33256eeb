package io.thetalazy.core.kernel;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The dense layout: nngp [n1, n2], var1 [n1], var2 [n2]. Its activation rule is the fused one-pass rule
 * ({@link DenseActivation}) for duals with a row form on contiguous float64 arrays, else the dual's array methods on
 * broadcast variances, multiplying the components the caller releases by D in place (each distinct array once).
 */
record DenseLayout() implements StateLayout {
    @Override
    public String name() {
        return "dense";
    }

    @Override
    public KernelState activation(GaussianDual dual, KernelState state, Predicate<INDArray> writable) {
        if (DenseActivation.applies(dual, state)) {
            return DenseActivation.apply(dual, state, writable);
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
        Predicate<INDArray> overwrite = StateArrays.overwritable(state, writable);
        Map<INDArray, INDArray> scaled = new IdentityHashMap<>();
        List<INDArray> layers = new ArrayList<>();
        for (INDArray layer : state.layers()) {
            layers.add(scaled.computeIfAbsent(layer, array -> overwrite.test(array) ? array.muli(derivative)
                    : array.mul(derivative)));
        }
        return new KernelState(sigma, var1, var2, layers);
    }
}
