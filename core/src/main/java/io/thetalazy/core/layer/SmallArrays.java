package io.thetalazy.core.layer;

import static io.thetalazy.core.error.ErrorCode.INVALID_ARGUMENT;

import io.thetalazy.core.error.FrameworkException;
import java.nio.DoubleBuffer;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import org.bytedeco.javacpp.DoublePointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Small arrays read into Java: one ND4J op or reduction costs 12 to 80 microseconds here
 * (docs/numerics.md#fresh-memory), a Java loop over {@value #LIMIT} doubles a few. Checks and reductions of a training
 * step's small arrays (residuals, inputs of a few points, n x n kernels) run on the copy; larger arrays stay in ND4J.
 */
public final class SmallArrays {
    /** The largest number of entries read into Java. */
    public static final long LIMIT = 4096;

    private SmallArrays() {}

    /**
     * The largest float64 array a pointwise pass runs on in Java, through {@link #memory}: up to here a Java loop is
     * no slower than one ND4J op (a [4, 16000] relu: about 40 us either way), below it much faster.
     */
    public static final long POINTWISE_LIMIT = 1 << 16;

    /**
     * The memory of a contiguous 'c'-order float64 array of at most {@link #POINTWISE_LIMIT} entries, as a buffer
     * without copying (reads and writes go to the array), or null for any other array.
     */
    public static DoubleBuffer memory(INDArray array) {
        if (array.dataType() != DataType.DOUBLE || array.length() > POINTWISE_LIMIT || array.length() == 0
                || !contiguous(array)) {
            return null;
        }
        // a view's address pointer starts at the view's first entry
        DoublePointer pointer = new DoublePointer(array.data().addressPointer());
        return pointer.position(0).limit(array.length()).asBuffer();
    }

    /**
     * y += alpha x in place: one Java pass of fused multiply-adds (the arithmetic of OpenBLAS's AVX2 axpy kernel) on
     * float64 arrays of one length up to {@link #POINTWISE_LIMIT} entries, else one BLAS axpy. OpenBLAS runs an axpy
     * of more than 10000 entries on its threads, and waking them costs more than the pass (phase-cell's update of
     * 48000 weights: a third of the step on the shared 2 cores). Strided views go through ND4J's broadcasting ops
     * (BLAS's axpy reads them as if contiguous).
     */
    public static void axpy(double alpha, INDArray x, INDArray y) {
        DoubleBuffer from = memory(x);
        DoubleBuffer into = from == null || x.length() != y.length() ? null : memory(y);
        if (into == null) {
            if (contiguous(x) && contiguous(y)) {
                Nd4j.getBlasWrapper().level1().axpy(x.length(), alpha, x, y);
            } else {
                y.addi(x.mul(alpha));
            }
            return;
        }
        for (int i = 0, n = into.limit(); i < n; i++) {
            into.put(i, Math.fma(alpha, from.get(i), into.get(i)));
        }
    }

    /** Whether the array's entries lie in 'c' order without gaps (default strides; a view may start at an offset). */
    static boolean contiguous(INDArray array) {
        return array.ordering() == 'c' && Shape.hasDefaultStridesForShape(array);
    }

    /** f of every entry of a small float64 array ({@link #memory}), as a new array; null for any other array. */
    public static INDArray map(INDArray array, DoubleUnaryOperator f) {
        DoubleBuffer a = memory(array);
        if (a == null) {
            return null;
        }
        double[] values = new double[a.limit()];
        for (int i = 0; i < values.length; i++) {
            values[i] = f.applyAsDouble(a.get(i));
        }
        return Nd4j.create(values, array.shape(), 'c');
    }

    /** f of the entries of two small float64 arrays of one shape, as a new array; null for any other pair. */
    public static INDArray map(INDArray first, INDArray second, DoubleBinaryOperator f) {
        DoubleBuffer a = memory(first);
        DoubleBuffer b = a == null || !java.util.Arrays.equals(first.shape(), second.shape()) ? null : memory(second);
        if (b == null) {
            return null;
        }
        double[] values = new double[a.limit()];
        for (int i = 0; i < values.length; i++) {
            values[i] = f.applyAsDouble(a.get(i), b.get(i));
        }
        return Nd4j.create(values, first.shape(), 'c');
    }

    /** Whether the array has at most {@link #LIMIT} floating-point entries. */
    public static boolean small(INDArray array) {
        return array.length() <= LIMIT && array.dataType().isFPType();
    }

    /** The entries of a small floating-point array in 'c' order (a copy). */
    public static double[] values(INDArray array) {
        if (!small(array)) {
            throw new FrameworkException(INVALID_ARGUMENT,
                    "only arrays of at most %d floating-point entries are read into Java, found %d of %s"
                    .formatted(LIMIT, array.length(), array.dataType()));
        }
        boolean whole = !array.isView() && contiguous(array) && array.data().length() == array.length();
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
