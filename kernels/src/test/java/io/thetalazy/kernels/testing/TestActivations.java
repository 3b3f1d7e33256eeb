package io.thetalazy.kernels.testing;

import static java.util.Objects.requireNonNull;

import io.thetalazy.core.kernel.GaussianDual;
import io.thetalazy.core.kernel.KernelRule;
import io.thetalazy.core.layer.Activation;
import io.thetalazy.core.layer.Activations;
import java.util.function.DoubleBinaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Activations whose Gaussian duals are written here in plain Java from the closed forms of
 * docs/theory.md#kernel-recursions, so the kernels module can test limits independently of core's duals; and
 * deliberately broken duals for the error paths.
 */
public final class TestActivations {
    private TestActivations() {}

    /** relu with its arc-cosine dual: Sigma = sqrt(c11 c22)(sin t + (pi - t) cos t)/(2 pi), D = (pi - t)/(2 pi). */
    public static Activation relu() {
        return new WithDual(Activations.RELU, new ClosedForm((s, t) -> s * (Math.sin(t) + (Math.PI - t) * Math.cos(t))
                / (2 * Math.PI), (s, t) -> (Math.PI - t) / (2 * Math.PI)));
    }

    /** linear: Sigma = c12, D = 1. */
    public static Activation linear() {
        return new WithDual(Activations.LINEAR, new ClosedForm((s, t) -> s * Math.cos(t), (s, t) -> 1));
    }

    /** relu whose dual returns NaN. */
    public static Activation reluWithNanDual() {
        return new WithDual(Activations.RELU, new ClosedForm((s, t) -> Double.NaN, (s, t) -> 1));
    }

    /** relu whose dual returns -c12 (negative definite NNGP). */
    public static Activation reluWithIndefiniteDual() {
        return new WithDual(Activations.RELU, new ClosedForm((s, t) -> -s * Math.cos(t), (s, t) -> 1));
    }


    /** A base activation's forward computations with another dual. */
    public record WithDual(Activation base, GaussianDual dual) implements Activation {
        public WithDual {
            requireNonNull(base, "base is null");
            requireNonNull(dual, "dual is null");
        }

        @Override public String name() { return base.name(); }
        @Override public INDArray apply(INDArray z) { return base.apply(z); }
        @Override public INDArray derivative(INDArray z) { return base.derivative(z); }
        @Override public double value(double z) { return base.value(z); }
        @Override public double slope(double z) { return base.slope(z); }
        @Override public boolean homogeneous() { return base.homogeneous(); }
    }

    /** A dual given as functions of (sqrt(c11 c22), the angle t = arccos(c12 / sqrt(c11 c22))), entry by entry. */
    record ClosedForm(DoubleBinaryOperator sigma, DoubleBinaryOperator derivative) implements GaussianDual {
        @Override
        public INDArray sigma(INDArray c11, INDArray c22, INDArray c12) {
            return map(sigma, c11, c22, c12);
        }

        @Override
        public INDArray derivative(INDArray c11, INDArray c22, INDArray c12) {
            return map(derivative, c11, c22, c12);
        }

        @Override
        public KernelRule rule() {
            return KernelRule.CLOSED_FORM;
        }

        private static INDArray map(DoubleBinaryOperator f, INDArray c11, INDArray c22, INDArray c12) {
            double[] a = c11.ravel().toDoubleVector();
            double[] b = c22.ravel().toDoubleVector();
            double[] c = c12.ravel().toDoubleVector();
            double[] out = new double[c.length];
            for (int i = 0; i < c.length; i++) {
                double scale = Math.sqrt(a[i] * b[i]);
                // atan2 keeps the angle accurate near t = 0, where acos(1 - eps) loses half the digits
                double t = Math.atan2(Math.sqrt(Math.max(0, a[i] * b[i] - c[i] * c[i])), c[i]);
                out[i] = f.applyAsDouble(scale, t);
            }
            return Nd4j.create(out, c12.shape(), c12.dataType());
        }
    }
}
