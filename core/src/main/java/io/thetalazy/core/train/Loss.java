package io.thetalazy.core.train;

import io.thetalazy.core.layer.SmallArrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The squared loss R_S = (1/2n) sum_i (f(x_i) - y_i)^2 and its gradient dR/df = (f - y)/n
 * (docs/theory.md#raw-parametrization).
 */
public final class Loss {
    private Loss() {}

    /** R_S for residuals e = f - y. */
    public static double value(INDArray residual) {
        double norm = SmallArrays.norm(residual);
        return norm * norm / (2.0 * residual.size(0));
    }

    /** dR/df [n, 1] for residuals e [n, 1]: a fresh array. */
    public static INDArray gradient(INDArray residual) {
        double n = residual.size(0);
        INDArray small = SmallArrays.map(residual, e -> e / n);
        return small != null ? small : residual.div(n);
    }

    /** The residuals e = f - y [n, 1] of outputs f and targets y [n, 1]: a fresh array (in Java for small n). */
    public static INDArray residual(INDArray output, INDArray targets) {
        INDArray small = SmallArrays.map(output, targets, (f, y) -> f - y);
        return small != null ? small : output.sub(targets);
    }
}
