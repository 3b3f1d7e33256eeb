package io.thetalazy.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class SpecialFunctionsTest {
    /** Reference values: mpmath at 40 digits. */
    @ParameterizedTest
    @CsvSource({
        "0.1, 0.1124629160182848922, 0.8875370839817151078",
        "0.5, 0.52049987781304653768, 0.47950012218695346232",
        "1, 0.84270079294971486934, 0.15729920705028513066",
        "1.5, 0.96610514647531072707, 0.033894853524689272933",
        "2, 0.99532226501895273416, 0.0046777349810472658379",
        "3, 0.99997790950300141456, 0.000022090496998585441373",
        "4, 0.99999998458274209972, 1.5417257900280018852e-8",
        "6, 0.99999999999999997848, 2.1519736712498913117e-17",
        "10, 1, 2.088487583762544757e-45"})
    void erfAndErfcMatchReferenceValues(double x, double erf, double erfc) {
        assertThat(SpecialFunctions.erf(x)).isCloseTo(erf, within(1e-15 * erf));
        assertThat(SpecialFunctions.erfc(x)).isCloseTo(erfc, within(1e-15 * erfc));
    }

    @Test
    void erfMatchesTheValuesOfTheBrief() {
        assertThat(SpecialFunctions.erf(0.5)).isCloseTo(0.5204998778130465, within(1e-15));
        assertThat(SpecialFunctions.erf(1)).isCloseTo(0.8427007929497149, within(1e-15));
        assertThat(SpecialFunctions.erf(2)).isCloseTo(0.9953222650189527, within(1e-15));
    }

    @Test
    void erfIsOdd() {
        for (double x = 0; x < 8; x += 0.0625) {
            assertThat(SpecialFunctions.erf(-x)).isEqualTo(-SpecialFunctions.erf(x));
            assertThat(SpecialFunctions.erfc(-x)).isCloseTo(2 - SpecialFunctions.erfc(x), within(1e-15));
        }
    }

    @Test
    void erfIsLinearNearZero() {
        assertThat(SpecialFunctions.erf(1e-10)).isCloseTo(2 / Math.sqrt(Math.PI) * 1e-10, within(1e-26));
        assertThat(SpecialFunctions.erf(0)).isZero();
    }

    @Test
    void erfTendsToOneAndErfcToZero() {
        assertThat(SpecialFunctions.erf(7)).isEqualTo(1);
        assertThat(SpecialFunctions.erf(1e300)).isEqualTo(1);
        assertThat(SpecialFunctions.erf(Double.POSITIVE_INFINITY)).isEqualTo(1);
        assertThat(SpecialFunctions.erf(Double.NEGATIVE_INFINITY)).isEqualTo(-1);
        assertThat(SpecialFunctions.erfc(27)).isZero();
        assertThat(SpecialFunctions.erfc(Double.NEGATIVE_INFINITY)).isEqualTo(2);
        assertThat(SpecialFunctions.erf(Double.NaN)).isNaN();
        assertThat(SpecialFunctions.erfc(Double.NaN)).isNaN();
    }

    @Test
    void erfIsIncreasingAcrossTheApproximationBoundaries() {
        double previous = SpecialFunctions.erf(0.4);
        for (double x = 0.4; x < 4.2; x += 1e-4) {
            double value = SpecialFunctions.erf(x);
            assertThat(value).isGreaterThanOrEqualTo(previous);
            previous = value;
        }
    }
}
