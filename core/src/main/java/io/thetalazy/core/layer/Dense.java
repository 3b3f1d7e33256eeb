package io.thetalazy.core.layer;

import static io.thetalazy.core.error.ErrorCode.SHAPE_MISMATCH;
import static java.util.Objects.requireNonNull;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.kernel.DenseStep;
import io.thetalazy.core.kernel.KernelSink;
import io.thetalazy.core.kernel.KernelState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Fully connected layer {@code h = s W x (+ s^b b)}, W of shape [out, in], on a batch x [n, in] giving [n, out]; the
 * readout (l = L+1) also applies the output multiplier 1/alpha.
 *
 * <p>Tangent kernel by contraction: Theta_l(x1, x2) = beta^2 s^2 (g1 g2^T) o (x1 x2^T) with g the output cotangents
 * ({@code o}: entrywise product), plus nu^2 (s^b)^2 (g1 g2^T) for the bias: two GEMMs, no Jacobian.
 *
 * <p>Kernel rule (docs/theory.md#dense-layers): hidden, C^(l) = sigma_l^2 Sigma^(l-1) (+ (s^b beta^b)^2), earlier
 * components times sigma_l^2, K^[l] = C^(l) (bias normalized by nu); with gains pulled out sigma_l^2 = 1. Readout:
 * K^[L+1] = Sigma^(L).
 *
 * @param spec the trainable layer: index, weight shape [out, in] and scalings
 */
public record Dense(TrainableLayer spec) implements Layer {
    private static final String INPUT = "input";
    private static final String COTANGENT = "cotangent";
    private static final String OUTPUT = "output";
    private static final String INPUT_COTANGENT = "input-cotangent";
    private static final String COTANGENT_GRAM = "cotangent-gram";
    private static final String SCALED_BIAS = "scaled-bias";

    /** Checks that the weight is a matrix [out, in]. */
    public Dense {
        requireNonNull(spec, "spec is null");
        if (spec.weightShape().rank() != 2) {
            throw new FrameworkException(SHAPE_MISMATCH, "a dense weight is [out, in], found " + spec.weightShape());
        }
    }

    private int in() {
        return spec.weightShape().dimension(1);
    }

    private int out() {
        return spec.weightShape().dimension(0);
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() != 1 || input.dimension(0) != in()) {
            throw new FrameworkException(SHAPE_MISMATCH, "%s expects inputs of shape [%d], found %s"
                    .formatted(spec.name(), in(), input));
        }
        return Shape.of(out());
    }

    @Override
    public List<TrainableLayer> trainables() {
        return List.of(spec);
    }

    /**
     * h = s W x (+ s^b b): one GEMM with the multiplier as its alpha, into a buffer kept on the tape
     * (docs/numerics.md#gemm).
     *
     * @param input [n, in], the weight's data type
     * @return [n, out], owned by the tape (overwritten by the next call on the same tape)
     */
    @Override
    public INDArray apply(Params params, INDArray input, Tape tape) {
        if (input.rank() != 2 || input.size(1) != in()) {
            throw new FrameworkException(SHAPE_MISMATCH, "%s expects a batch of shape [n, %d], found %s"
                    .formatted(spec.name(), in(), java.util.Arrays.toString(input.shape())));
        }
        tape.put(INPUT, input);
        INDArray weight = params.get(spec.name());
        INDArray output = tape.buffer(OUTPUT, weight.dataType(), input.size(0), out());
        Products.gemm(input, weight, output, false, true, spec.effectiveForward(), 0.0);
        if (spec.bias().isPresent()) {
            // an operand kept on the tape, not a temporary: ND4J frees an array's memory once the array is unreachable,
            // even while a native op still reads it (docs/numerics.md#temporaries)
            INDArray bias = params.get(spec.biasName());
            output.addiRowVector(bias.mul(spec.bias().get().forward().value(), tape.buffer(SCALED_BIAS, bias)));
        }
        return output;
    }

    /**
     * The input cotangent s g W into a buffer kept on the tape, then dR/dW = s g^T x (after W's last read: a descent
     * moves W by it), each one GEMM with the multiplier as alpha.
     */
    @Override
    public INDArray backward(Params params, Tape tape, INDArray cotangent, Gradients into) {
        tape.put(COTANGENT, cotangent);
        double multiplier = spec.effectiveForward();
        INDArray weight = params.get(spec.name());
        INDArray inputCotangent = tape.buffer(INPUT_COTANGENT, weight.dataType(), cotangent.size(0), in());
        Products.gemm(cotangent, weight, inputCotangent, false, false, multiplier, 0.0);
        if (into.wanted()) {
            into.product(spec.name(), weight, cotangent, tape.array(INPUT), true, false, multiplier);
            if (spec.bias().isPresent()) {
                INDArray bias = params.get(spec.biasName());
                cotangent.sum(into.buffer(spec.biasName(), bias), 0).muli(spec.bias().get().forward().value());
            }
        }
        return inputCotangent;
    }

    @Override
    public void tangentGram(Tape tape1, Tape tape2, KernelSink into) {
        INDArray g1 = tape1.array(COTANGENT);
        INDArray g2 = tape2.array(COTANGENT);
        // the cotangent Gram is a temporary: kept on the first tape, only Theta_l itself is fresh (it leaves the layer)
        INDArray cotangentGram = tape1.buffer(COTANGENT_GRAM, g1.dataType(), g1.size(0), g2.size(0));
        Products.gemm(g1, g2, cotangentGram, false, true, 1.0, 0.0);
        double weightScale = spec.weight().initStd().value() * spec.effectiveForward();
        INDArray theta = Products.rowGram(tape1.array(INPUT), tape2.array(INPUT), weightScale * weightScale)
                .muli(cotangentGram);
        into.add(spec.index(), theta);
        if (spec.bias().isPresent()) {
            double biasScale = spec.biasNormalizer() * spec.bias().get().forward().value();
            into.addBias(spec.index(), cotangentGram.mul(biasScale * biasScale));
        }
    }

    @Override
    public Optional<DenseStep> denseStep() {
        double gain = spec.kernelGain();
        if (spec.isReadout() || gain == 1 && spec.bias().isEmpty()) {
            return Optional.of(DenseStep.IDENTITY);
        }
        return Optional.of(new DenseStep.Affine(gain, spec.biasVariance(), spec.biasComponent()));
    }

    /**
     * The rule, scaling the covariance and the earlier components in place where the state may overwrite them; K^[l]
     * is always a new array.
     */
    @Override
    public KernelState kernel(KernelState state) {
        // the output is a sum over the fan-in of independent terms: Gaussian in the limit
        if (spec.isReadout()) {
            return state.addLayer(state.nngp()).withGaussian(true);
        }
        double gain = spec.kernelGain();
        if (gain == 1 && spec.bias().isEmpty()) {
            // nothing changes but the new component, which shares the covariance's array (so neither is overwritten)
            return state.addLayer(state.nngp()).withGaussian(true);
        }
        double biasVariance = spec.biasVariance();
        INDArray nngp = state.nngp();
        INDArray component = nngp.mul(gain).addi(spec.biasComponent());
        INDArray covariance = (state.mayOverwrite(nngp) ? nngp.muli(gain) : nngp.mul(gain)).addi(biasVariance);
        INDArray var1 = state.var1().mul(gain).addi(biasVariance);
        INDArray var2 = state.var2().mul(gain).addi(biasVariance);
        KernelState scaled = state.scaleLayers(gain);
        List<INDArray> layers = new ArrayList<>(scaled.layers());
        layers.add(component);
        return scaled.derive(covariance, var1, var2, layers, state.symmetric(), true);
    }
}
