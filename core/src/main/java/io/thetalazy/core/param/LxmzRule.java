package io.thetalazy.core.param;

import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;

import io.thetalazy.core.error.FrameworkException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two-layer phase-diagram coordinates of LXMZ (docs/theory.md#scaling-rules): s = 1; input init std m^{-(b -
 * gamma')}, readout init std m^{-b}; 1/alpha = m^{-(gamma - 2b + gamma')}. Then kappa = sqrt(d) m^{1 - gamma} and the
 * mobility ratio mu_1/mu_2 = m^{-2 gamma'}, exactly LXMZ's gamma and gamma'. Depth 1 only.
 *
 * @param gamma LXMZ's gamma (= 1 - q, q the kappa exponent)
 * @param gammaPrime LXMZ's gamma'
 * @param b the readout's init exponent: readout init std m^{-b}
 */
public record LxmzRule(double gamma, double gammaPrime, double b) implements ScalingRule {
    /** The name configs select this rule by ({@code lxmz}). */
    public static final String NAME = "lxmz";

    /** Checks that the three exponents are finite. */
    public LxmzRule {
        if (!Double.isFinite(gamma) || !Double.isFinite(gammaPrime) || !Double.isFinite(b)) {
            throw new FrameworkException(INVALID_CONFIG, "lxmz gamma, gammaPrime and b must be finite");
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("gamma", gamma);
        parameters.put("gammaPrime", gammaPrime);
        parameters.put("b", b);
        return parameters;
    }

    @Override
    public void checkDepth(int depth) {
        if (depth != 1) {
            throw new FrameworkException(INVALID_CONFIG,
                    "the lxmz rule is for two-layer networks (depth 1), found depth " + depth
                            + "; use theta-lazy for deep networks");
        }
    }

    @Override
    public LayerScaling weight(LayerSlot slot) {
        checkDepth(slot.depth());
        double exponent = slot.isReadout() ? -b : -(b - gammaPrime);
        return new LayerScaling(Scaled.ONE, Scaled.power(1, slot.width(), exponent), Scaled.ONE);
    }

    @Override
    public Scaled outputMultiplier(LayerSlot readout) {
        return Scaled.power(1, readout.width(), -(gamma - 2 * b + gammaPrime));
    }
}
