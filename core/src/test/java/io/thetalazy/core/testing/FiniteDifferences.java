package io.thetalazy.core.testing;

import io.thetalazy.core.layer.Gradients;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.train.Loss;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Central finite differences of the squared loss, to check analytic gradients (docs/theory.md#what-correct-means). */
public final class FiniteDifferences {
    private FiniteDifferences() {}

    /**
     * Step of the fourth-order central differences in float64, relative to the entry's magnitude (at least this
     * absolute): truncation error O(h^4), rounding O(eps / h), both far below the 1e-6 tolerance; small enough that
     * the stencil rarely straddles a relu kink.
     */
    public static final double STEP = 1e-5;

    /**
     * The largest relative error, over all parameter arrays, of the analytic gradient against central differences:
     * |g_fd - g| / max(|g|, floor) per array in Frobenius norm, floor = 1e-10 times the largest gradient norm.
     */
    public static double maxRelativeError(Network network, Params params, INDArray x, INDArray y) {
        Network.Forward forward = network.forward(params, x);
        Gradients analytic = network.gradients(params, forward, Loss.gradient(forward.output().sub(y)));
        double largest = 0;
        for (String name : params.names()) {
            largest = Math.max(largest, analytic.get(name).norm2Number().doubleValue());
        }
        double worst = 0;
        for (String name : params.names()) {
            INDArray w = params.get(name);
            INDArray numeric = w.ulike();
            long length = w.length();
            for (long i = 0; i < length; i++) {
                double original = w.getDouble(i);
                double h = STEP * Math.max(1, Math.abs(original));
                double plus = shifted(network, params, x, y, w, i, original + h);
                double minus = shifted(network, params, x, y, w, i, original - h);
                double plus2 = shifted(network, params, x, y, w, i, original + 2 * h);
                double minus2 = shifted(network, params, x, y, w, i, original - 2 * h);
                w.putScalar(i, original);
                numeric.putScalar(i, (8 * (plus - minus) - (plus2 - minus2)) / (12 * h));
            }
            INDArray exact = analytic.get(name);
            double error = numeric.sub(exact.reshape(numeric.shape())).norm2Number().doubleValue();
            if (largest == 0) {
                throw new AssertionError("every gradient is zero: the check would be vacuous; change the data or seed");
            }
            double scale = Math.max(exact.norm2Number().doubleValue(), 1e-10 * largest);
            worst = Math.max(worst, error / scale);
        }
        return worst;
    }

    private static double shifted(Network network, Params params, INDArray x, INDArray y, INDArray w, long i,
            double value) {
        w.putScalar(i, value);
        return loss(network, params, x, y);
    }

    private static double loss(Network network, Params params, INDArray x, INDArray y) {
        return Loss.value(network.apply(params, x).sub(y));
    }
}
