package io.thetalazy.cnn;

import io.thetalazy.core.kernel.GaussianDual;
import io.thetalazy.core.kernel.KernelRule;
import io.thetalazy.core.layer.Activation;
import io.thetalazy.core.layer.Activations;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Test-only closed-form Gaussian duals of relu and erf (docs/theory.md#activations-and-gaussian-duals), elementwise
 * over arrays of any rank, and the core activations with these duals in place of core's, so that kernel rules can be
 * tested independently of {@code core.kernel.Duals}.
 */
final class TestDuals {
    private TestDuals() {}

    static final Activation RELU = new WithDual(Activations.RELU, new Relu());
    static final Activation ERF = new WithDual(Activations.ERF, new Erf());
    static final Activation LINEAR = new WithDual(Activations.LINEAR, new Linear());


    /** A core activation with another dual. */
    record WithDual(Activation base, GaussianDual dual) implements Activation {
        @Override public String name() { return base.name(); }
        @Override public INDArray apply(INDArray z) { return base.apply(z); }
        @Override public INDArray derivative(INDArray z) { return base.derivative(z); }
        @Override public double value(double z) { return base.value(z); }
        @Override public double slope(double z) { return base.slope(z); }
        @Override public boolean homogeneous() { return base.homogeneous(); }
    }

    @FunctionalInterface
    interface Formula {
        double apply(double c11, double c22, double c12);
    }

    static INDArray elementwise(INDArray c11, INDArray c22, INDArray c12, Formula formula) {
        double[] a = c11.dup('c').data().asDouble();
        double[] b = c22.dup('c').data().asDouble();
        double[] c = c12.dup('c').data().asDouble();
        if (a.length != c.length || b.length != c.length) {
            throw new IllegalArgumentException("dual arguments must have one shape");
        }
        double[] out = new double[c.length];
        for (int i = 0; i < c.length; i++) {
            out[i] = formula.apply(a[i], b[i], c[i]);
        }
        return Nd4j.create(out, c12.shape(), c12.dataType());
    }

    /** linear: Sigma = c12, D = 1. */
    record Linear() implements GaussianDual {
        @Override
        public INDArray sigma(INDArray c11, INDArray c22, INDArray c12) {
            return elementwise(c11, c22, c12, (a, b, c) -> c);
        }

        @Override
        public INDArray derivative(INDArray c11, INDArray c22, INDArray c12) {
            return elementwise(c11, c22, c12, (a, b, c) -> 1);
        }

        @Override
        public KernelRule rule() {
            return KernelRule.CLOSED_FORM;
        }
    }

    /** relu: Sigma = sqrt(c11 c22)(sin t + (pi - t) cos t)/(2 pi), D = (pi - t)/(2 pi), t = arccos(rho). */
    record Relu() implements GaussianDual {
        private static double angle(double c11, double c22, double c12) {
            double norm = Math.sqrt(c11 * c22);
            double rho = norm > 0 ? Math.max(-1, Math.min(1, c12 / norm)) : 0;
            return Math.acos(rho);
        }

        @Override
        public INDArray sigma(INDArray c11, INDArray c22, INDArray c12) {
            return elementwise(c11, c22, c12, (a, b, c) -> {
                double t = angle(a, b, c);
                return Math.sqrt(a * b) * (Math.sin(t) + (Math.PI - t) * Math.cos(t)) / (2 * Math.PI);
            });
        }

        @Override
        public INDArray derivative(INDArray c11, INDArray c22, INDArray c12) {
            return elementwise(c11, c22, c12, (a, b, c) -> (Math.PI - angle(a, b, c)) / (2 * Math.PI));
        }

        @Override
        public KernelRule rule() {
            return KernelRule.CLOSED_FORM;
        }
    }

    /**
     * erf: Sigma = (2/pi) asin(2 c12 / sqrt((1 + 2 c11)(1 + 2 c22))),
     * D = (4/pi) / sqrt((1 + 2 c11)(1 + 2 c22) - 4 c12^2).
     */
    record Erf() implements GaussianDual {
        @Override
        public INDArray sigma(INDArray c11, INDArray c22, INDArray c12) {
            return elementwise(c11, c22, c12,
                    (a, b, c) -> 2 / Math.PI * Math.asin(2 * c / Math.sqrt((1 + 2 * a) * (1 + 2 * b))));
        }

        @Override
        public INDArray derivative(INDArray c11, INDArray c22, INDArray c12) {
            return elementwise(c11, c22, c12,
                    (a, b, c) -> 4 / Math.PI / Math.sqrt((1 + 2 * a) * (1 + 2 * b) - 4 * c * c));
        }

        @Override
        public KernelRule rule() {
            return KernelRule.CLOSED_FORM;
        }
    }
}
