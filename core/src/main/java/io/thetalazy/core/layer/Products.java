package io.thetalazy.core.layer;

import static io.thetalazy.core.error.ErrorCode.SHAPE_MISMATCH;

import io.thetalazy.core.error.FrameworkException;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix products through one GEMM with transpose flags. {@code a.mmul(b.transpose())} copies the transposed view into
 * fresh memory first (docs/numerics.md#gemm: first touch of fresh memory is slow): measured on [128, 1024] operands,
 * 2.0 ms against 0.8 ms for the flagged GEMM.
 */
public final class Products {
    private Products() {}

    /**
     * c = alpha op(a) op(b) + beta c, as {@code Nd4j.gemm(a, b, c, transA, transB, alpha, beta)}. When the three are
     * contiguous 'c'-order matrices of one floating type, the BLAS is called directly on their memory: libnd4j's matmul
     * op around the same BLAS call costs 20 to 100 microseconds a call here, more than the arithmetic of a small
     * network's GEMM (a [16, 64] x [64, 64] product: 4 us direct, 40-100 us through the op). Other layouts take the op.
     *
     * @return c
     */
    public static INDArray gemm(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB, double alpha,
            double beta) {
        if (!direct(a, b, c)) {
            Nd4j.gemm(a, b, c, transA, transB, alpha, beta);
            return c;
        }
        int m = (int) c.size(0);
        int n = (int) c.size(1);
        int k = (int) (transA ? a.size(0) : a.size(1));
        if ((transA ? a.size(1) : a.size(0)) != m || (transB ? b.size(0) : b.size(1)) != n
                || (transB ? b.size(1) : b.size(0)) != k) {
            throw new FrameworkException(SHAPE_MISMATCH, "gemm shapes do not match: op(a) of %s, op(b) of %s into %s"
                    .formatted(java.util.Arrays.toString(a.shape()), java.util.Arrays.toString(b.shape()),
                            java.util.Arrays.toString(c.shape())));
        }
        if (m == 0 || n == 0) {
            return c;
        }
        int opA = transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        int opB = transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        int lda = (int) a.size(1);
        int ldb = (int) b.size(1);
        if (c.dataType() == DataType.DOUBLE) {
            openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, opA, opB, m, n, k, alpha, doubles(a), lda,
                    doubles(b), ldb, beta, doubles(c), n);
        } else {
            openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, opA, opB, m, n, k, (float) alpha,
                    floats(a), lda, floats(b), ldb, (float) beta, floats(c), n);
        }
        return c;
    }

    /**
     * A batch of products, C_i = alpha op(A_i) op(B_i) + beta C_i for i &lt; count, where X_i is matrix i of a
     * [count, rows, columns] array X, or X itself when X is a matrix (shared by the batch). A matrix C receives the sum
     * of the batch's products (beta applied once): C = alpha sum_i op(A_i) op(B_i) + beta C. When every matrix is
     * row-major with unit column stride (a contiguous batch, or a view such as the column blocks of a wider matrix:
     * [rows, count, columns] permuted to [count, rows, columns]) and the three share one floating type, each product is
     * one direct BLAS call at its offset with the view's row stride as leading dimension; other layouts take
     * {@link #gemm} on slices.
     */
    public static void batched(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB, double alpha,
            double beta) {
        long count = Math.max(a.rank() == 3 ? a.size(0) : 1, b.rank() == 3 ? b.size(0) : 1);
        for (INDArray x : new INDArray[] {a, b, c}) {
            if (x.rank() != 2 && (x.rank() != 3 || x.size(0) != count)) {
                throw new FrameworkException(SHAPE_MISMATCH,
                        "batched products take matrices or [%d, rows, columns] arrays, found %s"
                        .formatted(count, java.util.Arrays.toString(x.shape())));
            }
        }
        boolean accumulate = c.rank() == 2;
        DataType type = c.dataType();
        if (!rowMajorMatrices(a, type) || !rowMajorMatrices(b, type) || !rowMajorMatrices(c, type)) {
            for (long i = 0; i < count; i++) {
                gemm(matrix(a, i), matrix(b, i), matrix(c, i), transA, transB, alpha, accumulate && i > 0 ? 1.0 : beta);
            }
            return;
        }
        int m = (int) rows(c);
        int n = (int) columns(c);
        int k = (int) (transA ? rows(a) : columns(a));
        if ((transA ? columns(a) : rows(a)) != m || (transB ? rows(b) : columns(b)) != n
                || (transB ? columns(b) : rows(b)) != k) {
            throw new FrameworkException(SHAPE_MISMATCH, "gemm shapes do not match: op(a) of %s, op(b) of %s into %s"
                    .formatted(java.util.Arrays.toString(a.shape()), java.util.Arrays.toString(b.shape()),
                            java.util.Arrays.toString(c.shape())));
        }
        if (m == 0 || n == 0 || count == 0) {
            return;
        }
        int opA = transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        int opB = transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        int lda = rowStride(a);
        int ldb = rowStride(b);
        int ldc = rowStride(c);
        long strideA = a.rank() == 3 ? a.stride(0) : 0;
        long strideB = b.rank() == 3 ? b.stride(0) : 0;
        long strideC = accumulate ? 0 : c.stride(0);
        boolean doubles = type == DataType.DOUBLE;
        Pointer pa = doubles ? doubles(a) : floats(a);
        Pointer pb = doubles ? doubles(b) : floats(b);
        Pointer pc = doubles ? doubles(c) : floats(c);
        for (long i = 0; i < count; i++) {
            pa.position(i * strideA);
            pb.position(i * strideB);
            pc.position(i * strideC);
            double scale = accumulate && i > 0 ? 1.0 : beta;
            if (doubles) {
                openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, opA, opB, m, n, k, alpha,
                        (DoublePointer) pa, lda, (DoublePointer) pb, ldb, scale, (DoublePointer) pc, ldc);
            } else {
                openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, opA, opB, m, n, k, (float) alpha,
                        (FloatPointer) pa, lda, (FloatPointer) pb, ldb, (float) scale, (FloatPointer) pc, ldc);
            }
        }
    }

    /** Matrix i of a [count, rows, columns] array, or the matrix itself. */
    private static INDArray matrix(INDArray x, long i) {
        return x.rank() == 3 ? x.slice(i) : x;
    }

    private static long rows(INDArray x) {
        return x.size(x.rank() - 2);
    }

    private static long columns(INDArray x) {
        return x.size(x.rank() - 1);
    }

    /** The leading dimension of x's matrices: the stride between rows (at least 1, as the BLAS requires). */
    private static int rowStride(INDArray x) {
        return (int) Math.max(Math.max(1, columns(x)), rows(x) > 1 ? x.stride(x.rank() - 2) : 1);
    }

    /**
     * Whether the BLAS may read x's matrices where they lie: the given type, non-empty, unit column stride, rows at
     * least a row's length apart, a non-negative batch stride, every entry addressable with int offsets.
     */
    private static boolean rowMajorMatrices(INDArray x, DataType type) {
        if (x.dataType() != type || (type != DataType.DOUBLE && type != DataType.FLOAT) || x.length() == 0) {
            return false;
        }
        int rank = x.rank();
        boolean unitColumns = columns(x) == 1 || x.stride(rank - 1) == 1;
        boolean rowsApart = rows(x) == 1 || x.stride(rank - 2) >= columns(x);
        boolean batchForward = rank == 2 || x.size(0) == 1 || x.stride(0) >= 0;
        long last = 0;
        for (int axis = 0; axis < rank; axis++) {
            last += (x.size(axis) - 1) * Math.abs(x.stride(axis));
        }
        return unitColumns && rowsApart && batchForward && last < Integer.MAX_VALUE;
    }

    /** Whether gemm may call the BLAS on the arrays' memory: rank 2, 'c' order, default strides, one float type. */
    static boolean direct(INDArray a, INDArray b, INDArray c) {
        DataType type = c.dataType();
        if (type != DataType.DOUBLE && type != DataType.FLOAT) {
            return false;
        }
        for (INDArray array : new INDArray[] {a, b, c}) {
            if (array.rank() != 2 || array.dataType() != type || !SmallArrays.contiguous(array)
                    || array.length() > Integer.MAX_VALUE
                    || array.size(1) == 0) {
                return false;
            }
        }
        return true;
    }

    /** The array's first element: a view's buffer already starts at the view's offset. */
    private static DoublePointer doubles(INDArray array) {
        return new DoublePointer(array.data().addressPointer());
    }

    private static FloatPointer floats(INDArray array) {
        return new FloatPointer(array.data().addressPointer());
    }

    /** alpha a b^T, [n1, n2] for a [n1, k] and b [n2, k], into a new array of a's data type. */
    public static INDArray rowGram(INDArray a, INDArray b, double alpha) {
        INDArray out = Nd4j.createUninitialized(a.dataType(), a.size(0), b.size(0));
        return gemm(a, b, out, false, true, alpha, 0.0);
    }

    /** alpha a^T b, [k1, k2] for a [n, k1] and b [n, k2], into a new array of a's data type. */
    public static INDArray columnGram(INDArray a, INDArray b, double alpha) {
        INDArray out = Nd4j.createUninitialized(a.dataType(), a.size(1), b.size(1));
        return gemm(a, b, out, true, false, alpha, 0.0);
    }
}
