package io.thetalazy.core.testing;

import io.thetalazy.core.kernel.GaussianDual;
import io.thetalazy.core.kernel.KernelRule;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A dual with only the array methods of another (no row form): it sends kernel rules down their broadcast path. */
public record ArrayOnlyDual(GaussianDual base) implements GaussianDual {
    @Override
    public INDArray sigma(INDArray c11, INDArray c22, INDArray c12) {
        return base.sigma(c11, c22, c12);
    }

    @Override
    public INDArray derivative(INDArray c11, INDArray c22, INDArray c12) {
        return base.derivative(c11, c22, c12);
    }

    @Override
    public KernelRule rule() {
        return base.rule();
    }
}
