package io.thetalazy.core.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

final class InitializersTest {
    @ParameterizedTest
    @ValueSource(strings = {"gaussian", "uniform", "rademacher", "truncated-normal", "orthogonal"})
    void everyLawHasZeroMeanAndUnitVariance(String name) {
        INDArray z = Initializers.builtIn().get(name).sample(new long[] {300, 200}, new SplittableRandom(1));
        double n = z.length();
        double mean = z.sumNumber().doubleValue() / n;
        double variance = z.mul(z).sumNumber().doubleValue() / n;
        assertThat(mean).isCloseTo(0, within(5 / Math.sqrt(n)));
        assertThat(variance).isCloseTo(1, within(0.02));
    }

    @Test
    void lawsHaveTheirSupport() {
        INDArray uniform = Initializers.UNIFORM.sample(new long[] {5000}, new SplittableRandom(2));
        assertThat(uniform.amaxNumber().doubleValue()).isLessThanOrEqualTo(Math.sqrt(3));
        INDArray signs = Initializers.RADEMACHER.sample(new long[] {1000}, new SplittableRandom(3));
        assertThat(signs.mul(signs).minNumber().doubleValue()).isEqualTo(1);
        INDArray truncated = Initializers.TRUNCATED_NORMAL.sample(new long[] {5000}, new SplittableRandom(4));
        assertThat(truncated.amaxNumber().doubleValue()).isLessThanOrEqualTo(2 / Initializers.TRUNCATED_NORMAL_STD);
    }

    @Test
    void orthogonalHasOrthonormalRowsOrColumns() {
        INDArray wide = Initializers.ORTHOGONAL.sample(new long[] {20, 50}, new SplittableRandom(5));
        INDArray rows = wide.mmul(wide.transpose()).divi(50);
        assertThat(rows.sub(Nd4j.eye(20)).norm2Number().doubleValue()).isLessThan(1e-10);
        INDArray tall = Initializers.ORTHOGONAL.sample(new long[] {40, 3, 3}, new SplittableRandom(6)).reshape(40, 9);
        INDArray columns = tall.transpose().mmul(tall).divi(40);
        assertThat(columns.sub(Nd4j.eye(9)).norm2Number().doubleValue()).isLessThan(1e-10);
    }

    @Test
    void seedsAreDeterministicAndLabelSpecific() {
        assertThat(Seeds.derive(7, "dense-1")).isEqualTo(Seeds.derive(7, "dense-1"));
        assertThat(Seeds.derive(7, "dense-1")).isNotEqualTo(Seeds.derive(7, "dense-2"));
        assertThat(Seeds.derive(7, "dense-1")).isNotEqualTo(Seeds.derive(8, "dense-1"));
    }
}
