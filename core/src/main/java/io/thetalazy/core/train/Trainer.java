package io.thetalazy.core.train;

import static io.thetalazy.core.error.ErrorCode.NON_FINITE_VALUE;
import static io.thetalazy.core.error.ErrorCode.SHAPE_MISMATCH;
import static io.thetalazy.core.error.ErrorCode.UNKNOWN_NAME;
import static java.util.Objects.requireNonNull;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.layer.Gradients;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.layer.SmallArrays;
import io.thetalazy.core.layer.Tape;
import io.thetalazy.core.layer.TrainableLayer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Full-batch gradient descent on the squared loss with per-layer learning-rate multipliers
 * (docs/theory.md#raw-parametrization): W^[l] &lt;- W^[l] - eta eta_l dR/dW^[l], biases with eta^b_l, both
 * antisymmetric copies. Stops on loss tolerance, step budget or time budget; a non-finite or exploding loss ends the run
 * with status {@code non-finite} or {@code diverged} (or restarts it from the initial parameters with eta halved, when
 * the config allows restarts). Parameters are updated in place.
 */
public final class Trainer {
    private final TrainingConfig config;
    private final List<Observer> observers;

    /** A trainer that also records the observers' columns at each recording step. */
    public Trainer(TrainingConfig config, List<Observer> observers) {
        this.config = requireNonNull(config, "config is null");
        this.observers = List.copyOf(observers);
    }

    /** A trainer that records the loss and RD only. */
    public Trainer(TrainingConfig config) {
        this(config, List.of());
    }

    /** Column names of the metric rows' extras, in order. */
    public List<String> extraColumns() {
        List<String> columns = new ArrayList<>();
        for (Observer observer : observers) {
            columns.addAll(observer.columns());
        }
        return columns;
    }

    /**
     * Trains params in place from their current values (taken as the initialization for RD) on (x, y).
     *
     * @param y targets [n, 1] or [n]
     */
    public TrainingResult train(Network network, Params params, INDArray x, INDArray y, StepSize stepSize,
            TrainingListener listener) {
        return run(network, params, params.copy(), x, y, stepSize, listener, null);
    }

    /**
     * Continues a run from a checkpoint: {@code params} hold the parameters after {@code from.step()} steps,
     * {@code initial} those at step 0. With the same network, data and step-size policy the run ends bit for bit as
     * the uninterrupted one; {@code onStart} is not called again for the resumed attempt.
     */
    public TrainingResult resume(Network network, Params params, Params initial, INDArray x, INDArray y,
            StepSize stepSize, TrainingListener listener, TrainingProgress from) {
        requireNonNull(from, "from is null");
        return run(network, params, initial, x, y, stepSize, listener, from);
    }

    private TrainingResult run(Network network, Params params, Params initial, INDArray x, INDArray y,
            StepSize stepSize, TrainingListener listener, TrainingProgress from) {
        network.checkInput(x);
        INDArray targets = checkTargets(x, y).castTo(network.dataType(params));
        checkFinite(network, params);
        long start = System.nanoTime() - (from == null ? 0 : (long) (from.wallSeconds() * 1e9));
        RelativeDistance distance = new RelativeDistance(network, initial);
        Map<String, Double> multipliers = learningRateMultipliers(network, params);
        StepSize policy = stepSize;
        int restarts = from == null ? 0 : from.restarts();
        for (int r = 0; r < restarts; r++) {
            policy = policy.halved();
        }
        TrainingProgress resumed = from;
        while (true) {
            Attempt attempt = new Attempt(network, params, initial, x, targets, distance, multipliers, listener, start);
            TrainingResult result = attempt.run(policy, restarts, resumed);
            resumed = null;
            if (!result.status().failed() || restarts >= config.maxRestarts()) {
                return result;
            }
            restarts++;
            policy = policy.halved();
            for (String name : params.names()) {
                params.get(name).assign(initial.get(name));
            }
            listener.onRestart(restarts, result.message());
        }
    }

    private static INDArray checkTargets(INDArray x, INDArray y) {
        requireNonNull(y, "y is null");
        INDArray targets = (y.rank() == 1 ? y.reshape(y.length(), 1) : y).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        if (targets.rank() != 2 || targets.size(1) != 1 || targets.size(0) != x.size(0)) {
            throw new FrameworkException(SHAPE_MISMATCH,
                    "targets must have shape [%d] or [%d, 1] to match the inputs, found %s"
                    .formatted(x.size(0), x.size(0), Arrays.toString(y.shape())));
        }
        double sum = targets.sumNumber().doubleValue();
        if (!Double.isFinite(sum)) {
            throw new FrameworkException(NON_FINITE_VALUE, "targets contain NaN or infinite values");
        }
        return targets;
    }

    /**
     * NaN or infinity in the initial parameters, named as such (the inputs are checked by the network): otherwise it
     * surfaces as a non-finite loss at step 0 that reads like a learning-rate problem.
     */
    private static void checkFinite(Network network, Params params) {
        for (String name : params.names()) {
            if (BooleanIndexing.or(params.get(name), Conditions.notFinite())) {
                throw new FrameworkException(NON_FINITE_VALUE, ("the initial parameters '%s' contain NaN or infinite"
                        + " values (initializer %s): check the initializer and the BLAS library it ran on")
                        .formatted(name, network.spec().initializer().name()));
            }
        }
    }

    /** eta_l per parameter name (weights), eta^b_l for biases; the mirror copy shares them. */
    static Map<String, Double> learningRateMultipliers(Network network, Params params) {
        Map<String, Double> multipliers = new java.util.LinkedHashMap<>();
        for (TrainableLayer layer : network.trainables()) {
            multipliers.put(layer.name(), layer.weight().lrMultiplier().value());
            layer.bias().ifPresent(b -> multipliers.put(layer.biasName(), b.lrMultiplier().value()));
        }
        if (network.antisymmetric()) {
            for (Map.Entry<String, Double> entry : List.copyOf(multipliers.entrySet())) {
                multipliers.put(entry.getKey() + Network.MIRROR, entry.getValue());
            }
        }
        for (String name : params.names()) {
            if (!multipliers.containsKey(name)) {
                throw new FrameworkException(UNKNOWN_NAME, "parameter '" + name + "' belongs to no trainable layer");
            }
        }
        return multipliers;
    }

    /** The descent of {@link #step}, with the network's eta_l per parameter; keep one per training loop. */
    public static Gradients descent(Network network, Params params) {
        return Gradients.descent(params, learningRateMultipliers(network, params));
    }

    /**
     * One GD step, W <- W - eta eta_l dR/dW for every parameter, in place: the backward pass writes each weight's
     * gradient product straight into the weight ({@link Gradients#descent}), the rest is one axpy each.
     *
     * @param forward the forward pass of params (its tapes hold what the backward pass reads)
     * @param outputCotangent dR/df, [n, 1]
     * @param descent from {@link #descent(Network, Params)}
     */
    public static void step(Network network, Params params, Network.Forward forward, INDArray outputCotangent,
            Gradients descent, double learningRate) {
        network.gradients(params, forward, outputCotangent, descent.step(learningRate));
        descent.applyStored();
    }

    /** One attempt from the initial parameters. */
    private final class Attempt {
        private final Network network;
        private final Params params;
        private final Params initial;
        private final INDArray x;
        private final INDArray y;
        private final RelativeDistance distance;
        private final Map<String, Double> multipliers;
        private final TrainingListener listener;
        private final long start;

        Attempt(Network network, Params params, Params initial, INDArray x, INDArray y, RelativeDistance distance,
                Map<String, Double> multipliers, TrainingListener listener, long start) {
            this.network = network;
            this.params = params;
            this.initial = initial;
            this.x = x;
            this.y = y;
            this.distance = distance;
            this.multipliers = multipliers;
            this.listener = listener;
            this.start = start;
        }

        /** @param from where a resumed attempt continues; null for an attempt from step 0 */
        TrainingResult run(StepSize policy, int restarts, TrainingProgress from) {
            // one tape and one descent (its gradient arrays) for the whole loop: every step overwrites the previous one's
            // arrays instead of allocating (docs/numerics.md#fresh-memory); residual and state hold fresh arrays only
            Tape tape = new Tape();
            Gradients descent = Gradients.descent(params, multipliers);
            Network.Forward forward = network.forward(params, x, tape);
            INDArray residual = Loss.residual(forward.output(), y);
            double outputNorm = SmallArrays.norm(forward.output());
            double outputScale = from != null ? from.initialOutputScale() : Math.sqrt(outputNorm * outputNorm / x.size(0));
            if (!Double.isFinite(outputScale)) {
                throw new FrameworkException(NON_FINITE_VALUE, ("the network's initial outputs are NaN or infinite"
                        + " although its inputs and parameters are finite: the forward pass overflows; scale the inputs"
                        + " down or lower the output multiplier"));
            }
            double loss = Loss.value(residual);
            double initialLoss = from != null ? from.initialLoss() : loss;
            long step = from != null ? from.step() : 0;
            TrainingState state = new TrainingState(network, params, initial, x, y, step, residual, forward);
            double learningRate = from != null ? from.learningRate() : policy.initial(state);
            double initialLearningRate = from != null ? from.initialLearningRate() : learningRate;
            if (from == null) {
                listener.onStart(learningRate);
            }
            double time = from != null ? from.time() : 0;
            Status status;
            String message = "";
            while (true) {
                if (!Double.isFinite(loss)) {
                    status = Status.NON_FINITE;
                    message = "loss became %s at step %d (learning rate %s): lower the learning rate or use "
                            .formatted(loss, step, learningRate) + "learningRate: auto";
                    break;
                }
                if (loss > config.divergenceFactor() * initialLoss && loss > 0) {
                    status = Status.DIVERGED;
                    message = "loss %s exceeds %s times its initial value %s at step %d (learning rate %s): lower the "
                            .formatted(loss, config.divergenceFactor(), initialLoss, step, learningRate)
                            + "learning rate or use learningRate: auto";
                    break;
                }
                boolean converged = loss < config.lossTolerance();
                boolean outOfSteps = step >= config.maxSteps();
                boolean outOfTime = config.timeBudgetSeconds() > 0
                        && (System.nanoTime() - start) / 1e9 > config.timeBudgetSeconds();
                if (step % config.recordEvery() == 0 || converged || outOfSteps || outOfTime) {
                    record(state, step, time, learningRate, loss);
                }
                if (converged) {
                    status = Status.CONVERGED;
                    break;
                }
                if (outOfSteps) {
                    status = Status.STEP_BUDGET;
                    break;
                }
                if (outOfTime) {
                    status = Status.TIME_BUDGET;
                    break;
                }
                learningRate = policy.next(state, learningRate);
                step(network, params, forward, Loss.gradient(residual), descent, learningRate);
                time += learningRate;
                step++;
                forward = network.forward(params, x, tape);
                residual = Loss.residual(forward.output(), y);
                loss = Loss.value(residual);
                state = new TrainingState(network, params, initial, x, y, step, residual, forward);
                listener.onStep(step, config.maxSteps(), loss);
                listener.onProgress(new TrainingProgress(step, time, learningRate, initialLoss, outputScale,
                        initialLearningRate, restarts, (System.nanoTime() - start) / 1e9));
            }
            RelativeDistance.Distances rd = distance.measure(params);
            double wall = (System.nanoTime() - start) / 1e9;
            return new TrainingResult(status, step, loss, rd.total(), rd.perLayer(), wall, initialLearningRate,
                    learningRate, restarts, outputScale, initialLoss, message);
        }

        private void record(TrainingState state, long step, double time, double learningRate, double loss) {
            RelativeDistance.Distances rd = distance.measure(params);
            List<Double> extras = new ArrayList<>();
            for (Observer observer : observers) {
                for (double value : observer.observe(state)) {
                    extras.add(value);
                }
            }
            listener.onRecord(new MetricsRow(step, time, learningRate, loss, rd.total(), rd.perLayer(), extras));
        }
    }
}
