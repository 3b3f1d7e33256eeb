package io.thetalazy.kernels.predict;

import static io.thetalazy.core.error.ErrorCode.INVALID_ARGUMENT;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.train.Observer;
import io.thetalazy.core.train.TrainingState;
import io.thetalazy.kernels.empirical.EmpiricalKernels;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Records the training kernel during a run (docs/theory.md#observables), as metrics columns {@code drift} =
 * |Theta_train(t) - Theta_train(0)|_F / |Theta_train(0)|_F and {@code lambdaMin} = lambda_min(Theta_train(t)), with
 * Theta_train = sum_l mu_l Theta_l on the training set. The kernel is computed at a recorded step when at least
 * {@code every} steps have passed since the last computation (always at step 0); other recorded rows get NaN. Each
 * computation costs one empirical kernel and one symmetric eigendecomposition. Theta_train(0) is computed from the
 * run's initial parameters once and kept (also across divergence restarts, which start from the same parameters):
 * use one observer per run.
 */
public final class KernelObserver implements Observer {
    /** The column of the kernel drift. */
    public static final String DRIFT = "drift";
    /** The column of lambda_min(Theta_train(t)). */
    public static final String LAMBDA_MIN = "lambdaMin";

    private final int every;
    private Params cachedFor;
    private INDArray initialKernel;
    private double initialNorm;
    private long lastStep = -1;

    /** An observer that computes the kernel at every recorded step. */
    public KernelObserver() {
        this(1);
    }

    /** An observer that computes the kernel at recorded steps at least {@code every} steps apart. */
    public KernelObserver(int every) {
        if (every < 1) {
            throw new FrameworkException(INVALID_ARGUMENT, "every must be at least 1, found " + every);
        }
        this.every = every;
    }

    @Override
    public List<String> columns() {
        return List.of(DRIFT, LAMBDA_MIN);
    }

    /** The last step whose row has the kernel's values (NaN rows are the steps in between). */
    @Override
    public void resume(List<Long> steps, List<double[]> extras) {
        lastStep = -1;
        for (int i = 0; i < steps.size(); i++) {
            if (!Double.isNaN(extras.get(i)[0])) {
                lastStep = steps.get(i);
            }
        }
    }

    @Override
    public double[] observe(TrainingState state) {
        long step = state.step();
        boolean due = step == 0 || lastStep < 0 || step < lastStep || step - lastStep >= every;
        if (!due) {
            return new double[] {Double.NaN, Double.NaN};
        }
        lastStep = step;
        EmpiricalKernels kernels = EmpiricalKernels.of(state.network());
        if (cachedFor != state.initial()) {
            initialKernel = kernels.trainingKernel(state.initial(), state.x());
            initialNorm = initialKernel.norm2Number().doubleValue();
            cachedFor = state.initial();
        }
        INDArray current = step == 0 ? initialKernel : kernels.trainingKernel(state.params(), state.x());
        double drift = current.distance2(initialKernel) / initialNorm;
        return new double[] {drift, Spectra.lambdaMin(current)};
    }
}
