package io.thetalazy.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.thetalazy.core.error.ErrorCode;
import io.thetalazy.core.error.FrameworkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class GaussHermiteTest {
    @ParameterizedTest
    @ValueSource(ints = {6, 7, 20, 60, 121, 240, 300, 500})
    void integratesEvenMomentsOfTheStandardNormal(int order) {
        GaussHermite rule = GaussHermite.of(order);
        assertThat(rule.expectation(z -> 1)).isCloseTo(1, within(1e-14));
        assertThat(rule.expectation(z -> z * z)).isCloseTo(1, within(1e-12));
        assertThat(rule.expectation(z -> Math.pow(z, 4))).isCloseTo(3, within(3e-12));
        assertThat(rule.expectation(z -> Math.pow(z, 10))).isCloseTo(945, within(945e-12));
    }

    @ParameterizedTest
    @ValueSource(ints = {6, 7, 60, 300})
    void integratesOddMomentsToZero(int order) {
        GaussHermite rule = GaussHermite.of(order);
        assertThat(rule.expectation(z -> z)).isCloseTo(0, within(1e-14));
        assertThat(rule.expectation(z -> Math.pow(z, 9))).isCloseTo(0, within(1e-11));
    }

    @Test
    void isExactUpToDegreeTwoKMinusOneOnly() {
        GaussHermite rule = GaussHermite.of(5);
        assertThat(rule.expectation(z -> Math.pow(z, 8))).isCloseTo(105, within(1e-11));
        assertThat(rule.expectation(z -> Math.pow(z, 10))).isNotCloseTo(945, within(1.0));
    }

    @Test
    void smallRulesHaveTheirKnownNodes() {
        assertThat(GaussHermite.of(1).nodes()).containsExactly(0);
        assertThat(GaussHermite.of(1).weights()).containsExactly(1);
        assertThat(GaussHermite.of(2).nodes()).containsExactly(new double[] {-1, 1}, within(1e-15));
        assertThat(GaussHermite.of(3).nodes()).containsExactly(new double[] {-Math.sqrt(3), 0, Math.sqrt(3)},
                within(1e-15));
        assertThat(GaussHermite.of(3).weights()).containsExactly(new double[] {1 / 6.0, 2 / 3.0, 1 / 6.0},
                within(1e-15));
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 61, 300, 1000})
    void nodesAreIncreasingAndSymmetricWithPositiveWeights(int order) {
        GaussHermite rule = GaussHermite.of(order);
        double[] nodes = rule.nodes();
        double[] weights = rule.weights();
        for (int i = 0; i < order; i++) {
            assertThat(nodes[i]).isEqualTo(-nodes[order - 1 - i]);
            assertThat(weights[i]).isEqualTo(weights[order - 1 - i]).isGreaterThanOrEqualTo(0);
            if (i > 0) {
                assertThat(nodes[i]).isGreaterThan(nodes[i - 1]);
            }
        }
        // The largest node of H_K grows like sqrt(4K).
        assertThat(nodes[order - 1]).isBetween(0.7 * Math.sqrt(4.0 * order), Math.sqrt(4.0 * order + 2));
    }

    @Test
    void hermiteBasisIsOrthogonal() {
        double[][] basis = GaussHermite.of(40).hermiteBasis(40);
        for (int k = 0; k < 40; k += 3) {
            for (int j = 0; j < 40; j += 5) {
                double dot = 0;
                for (int i = 0; i < 40; i++) {
                    dot += basis[k][i] * basis[j][i];
                }
                assertThat(dot).as("<h_%d, h_%d>", k, j).isCloseTo(k == j ? 1 : 0, within(1e-13));
            }
        }
    }

    @Test
    void rejectsOrdersOutOfRange() {
        assertThatThrownBy(() -> GaussHermite.of(0))
                .isInstanceOfSatisfying(FrameworkException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessage("Gauss-Hermite order must be in [1, 2000], found 0");
        assertThatThrownBy(() -> GaussHermite.of(2001))
                .isInstanceOfSatisfying(FrameworkException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessage("Gauss-Hermite order must be in [1, 2000], found 2001");
    }

    @Test
    void returnsCopiesOfItsArrays() {
        GaussHermite rule = GaussHermite.of(8);
        rule.nodes()[0] = 100;
        rule.weights()[0] = 100;
        assertThat(rule.nodes()[0]).isNegative();
        assertThat(rule.weights()[0]).isLessThan(1);
    }
}
