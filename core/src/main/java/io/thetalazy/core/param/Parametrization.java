package io.thetalazy.core.param;

import static java.util.Objects.requireNonNull;

import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.TrainableLayer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The normalized (macroscopic) view of a configured network (docs/theory.md#normalized-view): kappa_out = n s_{L+1}
 * beta_{L+1} / alpha with n the units the readout reads ({@link io.thetalazy.core.param.LayerSlot#units}: m for a
 * network whose last hidden layer has m units), gains sigma_l = s_l beta_l sqrt(n_{l-1}), kappa = kappa_out times the gains each layer pulls out
 * ({@link TrainableLayer#gainInside}: in a chain all of them for homogeneous activations without biases, none
 * otherwise; in a residual network the embedding's, while each block keeps tau prod sigma inside as its {@link
 * BlockInvariant}), mobilities mu_l = eta_l / beta_l^2, the kappa exponent q from the declared powers of m, LXMZ's
 * (gamma, gamma') for two-layer networks, and the predicted regime [LXMZ, LLZ].
 *
 * @param kappaOut kappa_out = n s_{L+1} beta_{L+1} / alpha with n the readout's units, the readout's scale
 * @param gains sigma_1 .. sigma_L, the hidden layers' gains
 * @param kappa kappa, kappa_out times the gains pulled out (docs/theory.md#kappa-and-its-conventions)
 * @param gainsInside whether every hidden layer keeps its gain inside (kappa = kappa_out)
 * @param mobilities mu_1 .. mu_{L+1} = eta_l / beta_l^2 (docs/theory.md#mobilities)
 * @param logKappaOverLogM log kappa / log m at the configured width, for orientation (docs/theory.md#kappa-exponent)
 * @param exponent q; empty when there is no normalized view (a gain that depends on m with gains inside)
 * @param gamma LXMZ's gamma = 1 - q, depth 1 only
 * @param gammaPrime LXMZ's gamma' = -(1/2) d log(mu_1/mu_2) / d log m, depth 1 only
 * @param regime the regime the declared exponents predict (docs/theory.md#regimes)
 * @param notes caveats printed with the card
 * @param blockInvariants one per residual block, input side first; empty for a chain
 * @param kernelWidth n, the readout's units: G^[l] = (n / kappa^2) Theta_l and the training kernel
 *     (kappa^2 / n) sum_l mu_l K^[l] use it
 */
public record Parametrization(Scaled kappaOut, List<Scaled> gains, Scaled kappa, boolean gainsInside,
        List<Scaled> mobilities, double logKappaOverLogM, Optional<Double> exponent, Optional<Double> gamma,
        Optional<Double> gammaPrime, Regime regime, List<String> notes, List<BlockInvariant> blockInvariants,
        double kernelWidth) {
    /** Copies the lists. */
    public Parametrization {
        requireNonNull(kappa, "kappa is null");
        gains = List.copyOf(gains);
        mobilities = List.copyOf(mobilities);
        notes = List.copyOf(notes);
        blockInvariants = List.copyOf(blockInvariants);
    }

    /**
     * card.json's {@code kappaConvention}: {@code gains-inside} or {@code gains-pulled-out}
     * (docs/theory.md#kappa-and-its-conventions).
     */
    public String kappaConvention() {
        return gainsInside ? "gains-inside" : "gains-pulled-out";
    }

    /** The normalized view of a network. */
    public static Parametrization of(Network network) {
        List<TrainableLayer> layers = network.trainables();
        int depth = network.spec().depth();
        TrainableLayer readout = layers.get(depth);
        Scaled units = readout.slot().units();
        Scaled kappaOut = units.times(readout.weight().forward()).times(readout.weight().initStd())
                .times(readout.outputMultiplier());
        List<Scaled> gains = new ArrayList<>();
        List<Scaled> mobilities = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Scaled kappa = kappaOut;
        boolean inside = true;
        boolean viewExists = true;
        for (TrainableLayer layer : layers) {
            mobilities.add(layer.weight().mobility());
            if (layer.isReadout()) {
                continue;
            }
            Scaled gain = layer.gain();
            gains.add(gain);
            if (!layer.gainInside()) {
                kappa = kappa.times(gain);
                inside = false;
            } else if (Math.abs(gain.power()) > Regime.TOLERANCE) {
                // a gain kept inside that moves with m leaves no m-independent normalized network
                viewExists = false;
                notes.add("no normalized view: sigma_%d depends on m (power %s)".formatted(layer.index(), gain.power()));
            }
        }
        List<BlockInvariant> blocks = network.body().blockInvariants();
        if (network.spec().bias()) {
            notes.add("biases: the same-kappa-same-trajectory property does not hold");
        }
        double logRatio = Math.log(kappa.value()) / Math.log(network.width());
        Optional<Double> exponent = viewExists ? Optional.of(kappa.power()) : Optional.empty();
        Optional<Double> gamma = Optional.empty();
        Optional<Double> gammaPrime = Optional.empty();
        Regime regime;
        if (!viewExists) {
            regime = Regime.NO_NORMALIZED_VIEW;
        } else if (depth == 1) {
            double g = 1 - kappa.power();
            double gp = -0.5 * (mobilities.get(0).power() - mobilities.get(1).power());
            gamma = Optional.of(g);
            gammaPrime = Optional.of(gp);
            regime = Regime.twoLayer(g, gp);
        } else {
            regime = Regime.deep(kappa.power());
            if (regime == Regime.KAPPA_ORDER_ONE || regime == Regime.NO_PREDICTION) {
                notes.add("LLZ's theta-lazy condition (q > 0) is sufficient; below it the regime also depends on the "
                        + "mobilities");
            }
        }
        return new Parametrization(kappaOut, gains, kappa, inside, mobilities, logRatio, exponent, gamma, gammaPrime,
                regime, notes, blocks, units.value());
    }
}
