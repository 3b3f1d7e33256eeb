package io.thetalazy.core.train;

import io.thetalazy.core.layer.SmallArrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The squared loss R_S = (1/2n) sum_i (f(x_i) - y_i)^2 and its gradient dR/df = (f - y)/n (DESIGN 1.1). */
public final class Loss {
    private Loss() {}

    /** R_S for residuals e = f - y. */
    public static double value(INDArray residual) {
        double norm = SmallArrays.norm(residual);
        return norm * norm / (2.0 * residual.size(0));
    }

    /** dR/df [n, 1] for residuals e [n, 1]: a fresh array. */
    public static INDArray gradient(INDArray residual) {
        return residual.div(residual.size(0));
    }
}
