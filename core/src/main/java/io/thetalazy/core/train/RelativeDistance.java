package io.thetalazy.core.train;

import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.Params;
import io.thetalazy.core.layer.TrainableLayer;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Relative distances from initialization (docs/theory.md#observables): RD_l = |W^[l] - W^[l](0)|_F / |W^[l](0)|_F per
 * trainable layer (both antisymmetric copies), and the total RD in normalized units, sqrt(sum_l |dW_l|^2 / beta_l^2) /
 * sqrt(sum_l |W_l(0)|^2 / beta_l^2). Biases are not part of RD.
 */
public final class RelativeDistance {
    private final Network network;
    private final Params initial;
    private final double[] initialSquaredNorms;

    /** Distances of a network's parameters from {@code initial}, whose norms are taken now. */
    public RelativeDistance(Network network, Params initial) {
        this.network = network;
        this.initial = initial;
        List<TrainableLayer> layers = network.trainables();
        initialSquaredNorms = new double[layers.size()];
        for (int l = 0; l < layers.size(); l++) {
            for (String name : names(layers.get(l))) {
                double norm = initial.get(name).norm2Number().doubleValue();
                initialSquaredNorms[l] += norm * norm;
            }
        }
    }

    private List<String> names(TrainableLayer layer) {
        return network.antisymmetric() ? List.of(layer.name(), layer.name() + Network.MIRROR) : List.of(layer.name());
    }

    /** RD per layer and the total, at the given parameters. */
    public Distances measure(Params params) {
        List<TrainableLayer> layers = network.trainables();
        List<Double> perLayer = new ArrayList<>();
        double moved = 0;
        double total = 0;
        for (int l = 0; l < layers.size(); l++) {
            double squared = 0;
            for (String name : names(layers.get(l))) {
                INDArray now = params.get(name);
                double distance = now.distance2(initial.get(name));
                squared += distance * distance;
            }
            perLayer.add(Math.sqrt(squared / initialSquaredNorms[l]));
            double beta2 = Math.pow(layers.get(l).weight().initStd().value(), 2);
            moved += squared / beta2;
            total += initialSquaredNorms[l] / beta2;
        }
        return new Distances(Math.sqrt(moved / total), perLayer);
    }

    /**
     * Total RD and RD_l for l = 1..L+1.
     *
     * @param total the total RD in normalized units
     * @param perLayer RD_l for l = 1..L+1
     */
    public record Distances(double total, List<Double> perLayer) {
        /** Copies the list. */
        public Distances {
            perLayer = List.copyOf(perLayer);
        }
    }
}
