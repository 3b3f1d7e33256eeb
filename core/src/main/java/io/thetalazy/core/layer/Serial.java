package io.thetalazy.core.layer;

import static io.thetalazy.core.error.ErrorCode.INVALID_ARGUMENT;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.kernel.DenseChain;
import io.thetalazy.core.kernel.DenseStep;
import io.thetalazy.core.kernel.KernelRule;
import io.thetalazy.core.kernel.KernelSink;
import io.thetalazy.core.kernel.KernelState;
import io.thetalazy.core.param.BlockInvariant;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Serial composition: apply, backward, tangent contraction and kernel rule are folded over the layers in order.
 *
 * @param layers the layers, input side first; at least one (copied)
 */
public record Serial(List<Layer> layers) implements Layer {
    /** Copies the layers and checks that there is at least one. */
    public Serial {
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new FrameworkException(INVALID_ARGUMENT, "a serial layer needs at least one layer, found an empty list");
        }
    }

    /** The layers in order, input side first. */
    public static Serial of(Layer... layers) {
        return new Serial(List.of(layers));
    }

    @Override
    public Shape outputShape(Shape input) {
        Shape shape = input;
        for (Layer layer : layers) {
            shape = layer.outputShape(shape);
        }
        return shape;
    }

    @Override
    public List<TrainableLayer> trainables() {
        List<TrainableLayer> all = new ArrayList<>();
        for (Layer layer : layers) {
            all.addAll(layer.trainables());
        }
        return List.copyOf(all);
    }

    @Override
    public List<BlockInvariant> blockInvariants() {
        List<BlockInvariant> all = new ArrayList<>();
        for (Layer layer : layers) {
            all.addAll(layer.blockInvariants());
        }
        return List.copyOf(all);
    }

    @Override
    public INDArray apply(Params params, INDArray input, Tape tape) {
        INDArray x = input;
        for (int i = 0; i < layers.size(); i++) {
            x = layers.get(i).apply(params, x, tape.child(i));
        }
        return x;
    }

    @Override
    public INDArray backward(Params params, Tape tape, INDArray cotangent, Gradients into) {
        INDArray g = cotangent;
        for (int i = layers.size() - 1; i >= 0; i--) {
            g = layers.get(i).backward(params, tape.child(i), g, into);
        }
        return g;
    }

    @Override
    public void tangentGram(Tape tape1, Tape tape2, KernelSink into) {
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).tangentGram(tape1.child(i), tape2.child(i), into);
        }
    }

    /**
     * Folds the rules; each intermediate state is dropped once the next layer has it, so its arrays are the next
     * rule's to overwrite.
     */
    @Override
    public KernelState kernel(KernelState state) {
        KernelState k = state;
        int i = 0;
        while (i < layers.size()) {
            // a run of layers with dense steps, an activation among them: one pass over the entries when it applies
            List<DenseStep> steps = new ArrayList<>();
            for (int j = i; j < layers.size() && layers.get(j).denseStep().isPresent(); j++) {
                steps.add(layers.get(j).denseStep().get());
            }
            if (steps.stream().anyMatch(step -> step instanceof DenseStep.Activation) && DenseChain.applies(k)) {
                k = DenseChain.apply(steps, k);
                i += steps.size();
            } else {
                k = layers.get(i).kernel(k);
                i++;
            }
        }
        return k;
    }

    /** The least exact rule of the parts: NONE if any part has none, else QUADRATURE if any uses it. */
    @Override
    public KernelRule kernelRule() {
        KernelRule rule = KernelRule.CLOSED_FORM;
        for (Layer layer : layers) {
            KernelRule part = layer.kernelRule();
            if (part == KernelRule.NONE) {
                return KernelRule.NONE;
            }
            if (part == KernelRule.QUADRATURE) {
                rule = KernelRule.QUADRATURE;
            }
        }
        return rule;
    }
}
