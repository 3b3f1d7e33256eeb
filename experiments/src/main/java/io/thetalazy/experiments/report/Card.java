package io.thetalazy.experiments.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thetalazy.core.layer.Network;
import io.thetalazy.core.layer.NetworkSpec;
import io.thetalazy.core.layer.TrainableLayer;
import io.thetalazy.core.param.BlockInvariant;
import io.thetalazy.core.param.Parametrization;
import io.thetalazy.core.param.Scaled;
import java.util.List;
import java.util.Locale;

/**
 * The parametrization card of a network (DESIGN 1.6 card.json): per layer s_l, beta_l, eta_l, mu_l and sigma_l, the
 * output multiplier, kappa with its convention, log kappa / log m, the kappa exponent, LXMZ's (gamma, gamma') for
 * two-layer networks, the predicted regime, and the residual blocks' invariants tau prod sigma ({@code blockInvariants}:
 * per block its branch's layer indices, tau and the invariant; empty for chains); as JSON and as a printable table.
 */
public final class Card {
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Card() {}

    /** card.json, fields in the order of DESIGN 1.6. */
    public static ObjectNode json(Network network, String learningRateMode, double learningRate) {
        NetworkSpec spec = network.spec();
        Parametrization view = Parametrization.of(network);
        ObjectNode card = JSON.createObjectNode();
        card.put("architecture", spec.architecture());
        card.put("width", spec.width());
        card.put("depth", spec.depth());
        card.put("inputDimension", spec.inputShape().size());
        card.put("activation", spec.activation().name());
        card.put("homogeneous", spec.activation().homogeneous());
        card.put("bias", spec.bias());
        card.put("initializer", spec.initializer().name());
        card.put("antisymmetric", spec.antisymmetric());
        ObjectNode rule = card.putObject("rule");
        rule.put("name", spec.rule().name());
        rule.set("parameters", JSON.valueToTree(new java.util.TreeMap<>(spec.rule().parameters())));
        ArrayNode layers = card.putArray("layers");
        List<TrainableLayer> trainables = network.trainables();
        for (TrainableLayer layer : trainables) {
            ObjectNode entry = layers.addObject();
            entry.put("index", layer.index());
            entry.put("name", layer.name());
            ArrayNode shape = entry.putArray("shape");
            layer.weightShape().dimensions().forEach(shape::add);
            entry.put("fanIn", layer.slot().fanIn());
            entry.put("forwardMultiplier", layer.weight().forward().value());
            entry.put("initStd", layer.weight().initStd().value());
            entry.put("lrMultiplier", layer.weight().lrMultiplier().value());
            entry.put("mobility", layer.weight().mobility().value());
            if (!layer.isReadout()) {
                entry.put("gain", layer.gain().value());
            }
        }
        card.put("outputMultiplier", trainables.get(trainables.size() - 1).outputMultiplier().value());
        if (Double.isNaN(learningRate)) {
            card.putNull("learningRate");
        } else {
            card.put("learningRate", learningRate);
        }
        card.put("learningRateMode", learningRateMode);
        card.put("kappa", view.kappa().value());
        card.put("kappaConvention", view.kappaConvention());
        card.put("logKappaOverLogM", view.logKappaOverLogM());
        if (view.exponent().isPresent()) {
            card.put("kappaExponent", view.exponent().get());
        } else {
            card.putNull("kappaExponent");
        }
        if (spec.depth() == 1) {
            view.gamma().ifPresentOrElse(g -> card.put("gamma", g), () -> card.putNull("gamma"));
            view.gammaPrime().ifPresentOrElse(g -> card.put("gammaPrime", g), () -> card.putNull("gammaPrime"));
        }
        card.put("regime", view.regime().label());
        ArrayNode blocks = card.putArray("blockInvariants");
        for (BlockInvariant invariant : view.blockInvariants()) {
            ObjectNode entry = blocks.addObject();
            ArrayNode indices = entry.putArray("layers");
            invariant.layers().forEach(indices::add);
            entry.put("branchMultiplier", invariant.branchMultiplier().value());
            entry.put("value", invariant.value().value());
        }
        if (!view.notes().isEmpty()) {
            ArrayNode notes = card.putArray("notes");
            view.notes().forEach(notes::add);
        }
        card.set("provenance", Provenance.json());
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
        out.append("  rule %s %s%n".formatted(spec.rule().name(), new java.util.TreeMap<>(spec.rule().parameters())));
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
