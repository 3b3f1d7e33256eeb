package io.thetalazy.core.param;

import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.NetworkSpec;
import io.thetalazy.core.layer.TrainableLayer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parametrization card of a network (docs/formats.md#parametrization-card): per layer s_l, beta_l, eta_l, mu_l and
 * sigma_l, the output multiplier, kappa with its convention, log kappa / log m, the kappa exponent, LXMZ's
 * (gamma, gamma') for two-layer networks, the predicted regime, and the residual blocks' invariants tau prod sigma; as
 * ordered fields (what card.json holds, for any JSON library) and as a table for the terminal.
 */
public final class ParametrizationCard {
    private ParametrizationCard() {}

    /**
     * The card's fields in card.json's order: strings, numbers, booleans, nulls, lists and nested maps.
     *
     * @param learningRateMode how the step size is chosen ({@code fixed}, {@code auto}, {@code adaptive})
     * @param learningRate eta at step 0, NaN when not known yet (written as null)
     */
    public static Map<String, Object> fields(Network network, String learningRateMode, double learningRate) {
        NetworkSpec spec = network.spec();
        Parametrization view = Parametrization.of(network);
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("architecture", spec.architecture());
        card.put("width", spec.width());
        card.put("depth", spec.depth());
        card.put("inputDimension", spec.inputShape().size());
        card.put("activation", spec.activation().name());
        card.put("homogeneous", spec.activation().homogeneous());
        card.put("bias", spec.bias());
        card.put("initializer", spec.initializer().name());
        card.put("antisymmetric", spec.antisymmetric());
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("name", spec.rule().name());
        rule.put("parameters", new TreeMap<>(spec.rule().parameters()));
        card.put("rule", rule);
        List<Map<String, Object>> layers = new ArrayList<>();
        List<TrainableLayer> trainables = network.trainables();
        for (TrainableLayer layer : trainables) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("index", layer.index());
            entry.put("name", layer.name());
            entry.put("shape", List.copyOf(layer.weightShape().dimensions()));
            entry.put("fanIn", layer.slot().fanIn());
            entry.put("forwardMultiplier", layer.weight().forward().value());
            entry.put("initStd", layer.weight().initStd().value());
            entry.put("lrMultiplier", layer.weight().lrMultiplier().value());
            entry.put("mobility", layer.weight().mobility().value());
            if (!layer.isReadout()) {
                entry.put("gain", layer.gain().value());
            }
            layers.add(entry);
        }
        card.put("layers", layers);
        card.put("outputMultiplier", trainables.get(trainables.size() - 1).outputMultiplier().value());
        card.put("learningRate", Double.isNaN(learningRate) ? null : learningRate);
        card.put("learningRateMode", learningRateMode);
        card.put("kappa", view.kappa().value());
        card.put("kappaConvention", view.kappaConvention());
        card.put("logKappaOverLogM", view.logKappaOverLogM());
        card.put("kappaExponent", view.exponent().orElse(null));
        if (spec.depth() == 1) {
            card.put("gamma", view.gamma().orElse(null));
            card.put("gammaPrime", view.gammaPrime().orElse(null));
        }
        card.put("regime", view.regime().label());
        List<Map<String, Object>> blocks = new ArrayList<>();
        for (BlockInvariant invariant : view.blockInvariants()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("layers", List.copyOf(invariant.layers()));
            entry.put("branchMultiplier", invariant.branchMultiplier().value());
            entry.put("value", invariant.value().value());
            blocks.add(entry);
        }
        card.put("blockInvariants", blocks);
        if (!view.notes().isEmpty()) {
            card.put("notes", List.copyOf(view.notes()));
        }
        return card;
    }

    /** The card as a table for the terminal. */
    public static String text(Network network, String learningRateMode, double learningRate) {

        NetworkSpec spec = network.spec();
        Parametrization view = Parametrization.of(network);
        StringBuilder out = new StringBuilder();
        out.append("parametrization card\n");
        out.append("  architecture %s, width m = %d, depth L = %d, input shape %s%n".formatted(spec.architecture(),
                spec.width(), spec.depth(), spec.inputShape()));
        out.append("  activation %s (%s), bias %s, initializer %s, antisymmetric %s%n".formatted(
                spec.activation().name(), spec.activation().homogeneous() ? "homogeneous" : "not homogeneous",
                spec.bias(), spec.initializer().name(), spec.antisymmetric()));
        out.append("  rule %s %s%n".formatted(spec.rule().name(), new TreeMap<>(spec.rule().parameters())));
        out.append("\n  %2s  %-12s %-14s %7s %11s %11s %11s %11s %11s%n".formatted("l", "name", "shape", "fan-in",
                "s_l", "beta_l", "eta_l", "mu_l", "sigma_l"));
        for (TrainableLayer layer : network.trainables()) {
            out.append("  %2d  %-12s %-16s %7d %14s %14s %14s %14s %14s%n".formatted(layer.index(), layer.name(),
                    layer.weightShape(), layer.slot().fanIn(), number(layer.weight().forward()),
                    number(layer.weight().initStd()), number(layer.weight().lrMultiplier()),
                    number(layer.weight().mobility()), layer.isReadout() ? "-" : number(layer.gain())));
        }
        TrainableLayer readout = network.trainables().get(network.trainables().size() - 1);
        out.append("\n  output multiplier 1/alpha = %s%n".formatted(number(readout.outputMultiplier())));
        out.append("  learning rate: %s%s%n".formatted(learningRateMode,
                Double.isNaN(learningRate) ? "" : " (eta = %.6g at step 0)".formatted(learningRate)));
        out.append("  kappa = %.6g (%s; kappa_out = %.6g)%n".formatted(view.kappa().value(), view.kappaConvention(),
                view.kappaOut().value()));
        out.append("  log kappa / log m = %.4f at m = %d; kappa exponent q = %s%n".formatted(view.logKappaOverLogM(),
                spec.width(), view.exponent().map(q -> "%.4g".formatted(q)).orElse("none")));
        if (view.gamma().isPresent()) {
            out.append("  LXMZ coordinates: gamma = %.4g, gamma' = %.4g%n".formatted(view.gamma().get() + 0.0,
                    view.gammaPrime().orElseThrow() + 0.0));
        }
        out.append("  predicted regime: %s%n".formatted(view.regime().label()));
        for (int b = 0; b < view.blockInvariants().size(); b++) {
            BlockInvariant invariant = view.blockInvariants().get(b);
            out.append("  block %d (layers %s): tau = %s, invariant tau prod sigma = %s (inside)%n".formatted(b + 1,
                    invariant.layers(), number(invariant.branchMultiplier()), number(invariant.value())));
        }
        for (String note : view.notes()) {
            out.append("  note: ").append(note).append('\n');
        }
        return out.toString();
    }

    private static String number(Scaled value) {
        String power = Math.abs(value.power()) < 1e-12 ? "" : "~m^%s".formatted(trim(value.power()));
        return "%.4g".formatted(value.value()).replace("e+0", "e").replace("e-0", "e-") + power;
    }

    private static String trim(double power) {
        String text = String.format(Locale.ROOT, "%.3f", power);
        return text.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
