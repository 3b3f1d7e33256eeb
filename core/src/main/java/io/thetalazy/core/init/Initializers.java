package io.thetalazy.core.init;

import com.google.common.collect.ImmutableSortedMap;
import java.util.SortedMap;
import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The built-in unit-variance laws (docs/theory.md#initializer-laws). Samples are drawn in Java from the given
 * generator, so a seed gives the same numbers on every machine and ND4J backend.
 */
public final class Initializers {
    static {
        io.thetalazy.core.layer.Numerics.useFloat64();
    }

    private Initializers() {}

    /** Standard deviation of N(0, 1) truncated to [-2, 2]. */
    public static final double TRUNCATED_NORMAL_STD = 0.8796256610342398;

    /** {@code gaussian}: N(0, 1). */
    public static final Initializer GAUSSIAN = new Iid("gaussian", RandomGenerator::nextGaussian);
    /** {@code uniform}: uniform on [-sqrt 3, sqrt 3]. */
    public static final Initializer UNIFORM = new Iid("uniform", rng -> Math.sqrt(3) * (2 * rng.nextDouble() - 1));
    /** {@code rademacher}: +1 or -1 with equal probability. */
    public static final Initializer RADEMACHER = new Iid("rademacher", rng -> rng.nextBoolean() ? 1.0 : -1.0);
    /** {@code truncated-normal}: N(0, 1) truncated to [-2, 2], divided by its standard deviation. */
    public static final Initializer TRUNCATED_NORMAL = new Iid("truncated-normal", rng -> {
        double z;
        do {
            z = rng.nextGaussian();
        } while (Math.abs(z) > 2);
        return z / TRUNCATED_NORMAL_STD;
    });
    /** {@code orthogonal}: a random orthogonal matrix scaled to unit variance per entry. */
    public static final Initializer ORTHOGONAL = new Orthogonal();

    /** The built-in laws by name, which {@link io.thetalazy.core.plugin.CoreModule} binds. */
    public static SortedMap<String, Initializer> builtIn() {
        ImmutableSortedMap.Builder<String, Initializer> builder = ImmutableSortedMap.naturalOrder();
        for (Initializer law : new Initializer[] {GAUSSIAN, UNIFORM, RADEMACHER, TRUNCATED_NORMAL, ORTHOGONAL}) {
            builder.put(law.name(), law);
        }
        return builder.build();
    }

    @FunctionalInterface
    interface Draw {
        double next(RandomGenerator rng);
    }

    record Iid(String name, Draw draw) implements Initializer {
        @Override
        public INDArray sample(long[] shape, RandomGenerator rng) {
            long size = 1;
            for (long s : shape) {
                size *= s;
            }
            double[] values = new double[Math.toIntExact(size)];
            for (int i = 0; i < values.length; i++) {
                values[i] = draw.next(rng);
            }
            return Nd4j.create(values, shape, DataType.DOUBLE);
        }
    }

    /**
     * Z = sqrt(max(r, c)) Q for the [r, c] matrix view, Q with orthonormal rows (r <= c) or columns (r > c):
     * unit average variance. Q = G (G^T G)^{-1/2} from a Gaussian G, through a symmetric eigendecomposition.
     */
    record Orthogonal() implements Initializer {
        @Override
        public String name() {
            return "orthogonal";
        }

        @Override
        public INDArray sample(long[] shape, RandomGenerator rng) {
            long rows = shape[0];
            long columns = 1;
            for (int i = 1; i < shape.length; i++) {
                columns *= shape[i];
            }
            boolean tall = rows > columns;
            INDArray g = GAUSSIAN.sample(tall ? new long[] {rows, columns} : new long[] {columns, rows}, rng);
            INDArray gram = g.transpose().mmul(g);
            INDArray vectors = gram.dup('f');
            INDArray values = Eigen.symmetricGeneralizedEigenvalues(vectors, true);
            INDArray inverseRoot = vectors.mulRowVector(Transforms.pow(values, -0.5, true)).mmul(vectors.transpose());
            INDArray q = g.mmul(inverseRoot);
            INDArray z = (tall ? q : q.transpose()).muli(Math.sqrt(Math.max(rows, columns)));
            return z.reshape('c', shape).dup('c');
        }
    }
}
