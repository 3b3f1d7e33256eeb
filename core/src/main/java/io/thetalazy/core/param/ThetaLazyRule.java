package io.thetalazy.core.param;

import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;

import io.thetalazy.core.error.FrameworkException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The theta-lazy family (docs/theory.md#scaling-rules): kappa = kappa0 m^gamma with free init exponents, beta_l =
 * m^{-b_l}; s_l = 1/(beta_l sqrt(n_{l-1})) for l &lt;= L so that every gain sigma_l is 1; readout s = 1 and 1/alpha =
 * kappa0 m^gamma / (m beta_{L+1}); eta_l = 1, so the mobilities are m^{2 b_l}. Here gamma is the kappa exponent q (lazy
 * for gamma > 0) [LLZ], not LXMZ's gamma (= 1 - q).
 *
 * @param gamma the kappa exponent q
 * @param kappa0 the constant in front of m^gamma; positive
 * @param initExponents b_1..b_{L+1}; empty means all zero, one value is used for every layer
 */
public record ThetaLazyRule(double gamma, double kappa0, List<Double> initExponents) implements ScalingRule {
    /** The name configs select this rule by ({@code theta-lazy}). */
    public static final String NAME = "theta-lazy";

    /** Checks that kappa0 is positive and gamma finite, and copies the init exponents. */
    public ThetaLazyRule {
        initExponents = List.copyOf(initExponents);
        if (!(kappa0 > 0) || !Double.isFinite(kappa0)) {
            throw new FrameworkException(INVALID_CONFIG, "theta-lazy kappa0 must be positive and finite, found " + kappa0);
        }
        if (!Double.isFinite(gamma)) {
            throw new FrameworkException(INVALID_CONFIG, "theta-lazy gamma must be finite, found " + gamma);
        }
    }

    /** kappa = m^gamma with all init exponents zero. */
    public ThetaLazyRule(double gamma) {
        this(gamma, 1, List.of());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("gamma", gamma);
        parameters.put("kappa0", kappa0);
        parameters.put("b", initExponents);
        return parameters;
    }

    @Override
    public void checkDepth(int depth) {
        if (initExponents.size() > 1 && initExponents.size() != depth + 1) {
            throw new FrameworkException(INVALID_CONFIG, "theta-lazy b lists one init exponent per trainable layer: "
                    + "depth %d needs %d values, found %d".formatted(depth, depth + 1, initExponents.size()));
        }
    }

    private double exponent(int index, int depth) {
        checkDepth(depth);
        return switch (initExponents.size()) {
            case 0 -> 0;
            case 1 -> initExponents.get(0);
            default -> initExponents.get(index - 1);
        };
    }

    @Override
    public LayerScaling weight(LayerSlot slot) {
        Scaled initStd = Scaled.power(1, slot.width(), -exponent(slot.index(), slot.depth()));
        Scaled forward = slot.isReadout() ? Scaled.ONE : initStd.times(slot.fanInScaled().sqrt()).inverse();
        return new LayerScaling(forward, initStd, Scaled.ONE);
    }

    @Override
    public Scaled outputMultiplier(LayerSlot readout) {
        Scaled readoutStd = weight(readout).initStd();
        return Scaled.power(kappa0, readout.width(), gamma).times(readout.units().times(readoutStd).inverse());
    }
}
