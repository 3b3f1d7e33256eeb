package io.thetalazy.core.layer;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/**
 * Small arrays read into Java: one ND4J op or reduction costs 12 to 80 microseconds here (DESIGN 4), a Java loop over
 * {@value #LIMIT} doubles a few. Checks and reductions of a training step's small arrays (residuals, inputs of a few
 * points, n x n kernels) run on the copy; larger arrays stay in ND4J.
 */
public final class SmallArrays {
    /** The largest number of entries read into Java. */
    public static final long LIMIT = 4096;

    private SmallArrays() {}

    /** Whether the array has at most {@link #LIMIT} floating-point entries. */
    public static boolean small(INDArray array) {
        return array.length() <= LIMIT && array.dataType().isFPType();
    }

    /** The entries of a small floating-point array in 'c' order (a copy). */
    public static double[] values(INDArray array) {
        if (!small(array)) {
            throw new IllegalArgumentException("only arrays of at most %d floating-point entries are read into Java, found %d of %s"
                    .formatted(LIMIT, array.length(), array.dataType()));
        }
        boolean whole = !array.isView() && array.ordering() == 'c' && Shape.hasDefaultStridesForShape(array)
                && array.data().length() == array.length();
        return (whole ? array : array.dup('c')).data().asDouble();
    }

    /** Whether every entry is finite: in Java for small arrays, else one sum and one max-abs reduction. */
    public static boolean isFinite(INDArray array) {
        if (small(array)) {
            for (double value : values(array)) {
                if (!Double.isFinite(value)) {
                    return false;
                }
            }
            return true;
        }
        return Double.isFinite(array.sumNumber().doubleValue()) && Double.isFinite(array.amaxNumber().doubleValue());
    }

    /** |a|_F, the Euclidean norm of all entries: in Java for small arrays, else ND4J's norm2. */
    public static double norm(INDArray array) {
        if (!small(array)) {
            return array.norm2Number().doubleValue();
        }
        double sum = 0;
        for (double value : values(array)) {
            sum += value * value;
        }
        return Math.sqrt(sum);
    }
}
