package io.thetalazy.core.layer;

import io.thetalazy.core.error.ErrorCode;
import io.thetalazy.core.error.FrameworkException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A check, once per process before the first number is computed, that the BLAS and LAPACK calls the framework makes
 * compute right. Some CPU and library combinations compute garbage silently (ND4J's OpenBLAS 0.3.19 with its AVX-512
 * kernels on Sapphire Rapids and Zen 4: products of 256 x 256 matrices off by tens of percent, eigenvalues of an SPD
 * matrix below zero), while small products stay right, so the check works at sizes where broken kernels show: GEMMs
 * of 256 x 256 operands with every transpose flag and alpha/beta, verified in plain Java by a random projection
 * (Freivalds) and sampled entries, and a symmetric eigendecomposition of a 256 x 256 SPD matrix, verified by its
 * trace, its smallest eigenvalue and the residual and orthogonality of its vectors. The plain-Java references are
 * computed on another thread while ND4J's backend loads ({@link #prepare}); what is left on the start-up path, the
 * library calls and the comparisons, takes a few tens of milliseconds.
 *
 * <p>Turn it off with the system property {@code -Dthetalazy.blas.check=false} (for a library user who has checked
 * the library otherwise).
 */
public final class BlasSelfCheck {
    /** The system property that turns the check off when {@code false}. */
    public static final String PROPERTY = "thetalazy.blas.check";
    private static final double TOLERANCE = 1e-10;

    private BlasSelfCheck() {}

    /** The library calls under check: the framework's own in production, a test double in the failure-path test. */
    interface Operations {
        /** alpha op(a) op(b) + beta c, into c. */
        void gemm(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB, double alpha, double beta);

        /** The eigenvalues of the symmetric 'f'-order matrix a, ascending; a is overwritten with the eigenvectors. */
        INDArray symmetricEigen(INDArray a);
    }

    static final Operations ND4J = new Operations() {
        @Override
        public void gemm(INDArray a, INDArray b, INDArray c, boolean ta, boolean tb, double alpha, double beta) {
            Products.gemm(a, b, c, ta, tb, alpha, beta);   // the layers' route to the BLAS
        }

        @Override
        public INDArray symmetricEigen(INDArray a) {
            return Eigen.symmetricGeneralizedEigenvalues(a, true);
        }
    };

    static boolean enabled() {
        return !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").trim());
    }

    /**
     * The check's plain-Java side, started on another thread: the operands and what the products and the
     * eigensystem must give. Computed while ND4J's backend loads, it leaves the library calls and the comparisons of
     * their results on the start-up path.
     */
    static CompletableFuture<Reference> prepare() {
        return CompletableFuture.supplyAsync(Reference::new);
    }

    /** The failure of the check with ND4J's library, or null when it computes right. */
    static FrameworkException run(Reference reference) {
        List<String> failures = failures(ND4J, reference);
        return failures.isEmpty() ? null : error(failures, BlasInfo.current());
    }

    /** What the operations got wrong, empty when everything is right. */
    static List<String> failures(Operations operations) {
        return failures(operations, new Reference());
    }

    static List<String> failures(Operations operations, Reference reference) {
        List<String> failures = new ArrayList<>();
        Product square = reference.square;
        square.check(operations, false, false, 1.0, 0.0, failures);
        square.check(operations, false, true, 0.5, 0.0, failures);
        square.check(operations, true, false, 0.5, 2.0, failures);
        square.check(operations, true, true, 1.0, 1.0, failures);
        reference.eigen.check(operations, failures);
        return failures;
    }

    /** Fixed-seed operands of the check and their plain-Java results. */
    static final class Reference {
        private final Product square;
        private final SpdMatrix eigen;

        Reference() {
            SplittableRandom random = new SplittableRandom(20240417L);
            square = new Product(256, 256, 256, random);
            eigen = new SpdMatrix(256, 8, random);
        }
    }

    static FrameworkException error(List<String> failures, BlasInfo blas) {
        String found = failures.size() <= 2 ? String.join("; ", failures)
                : failures.get(0) + "; " + failures.get(failures.size() - 1)
                        + " (%d of the check's products and decompositions wrong)".formatted(failures.size());
        return new FrameworkException(ErrorCode.BROKEN_BLAS, ("the BLAS library computes wrong numbers on this machine"
                + " (%s): %s. Start the JVM with OPENBLAS_CORETYPE=Haswell in its environment (kernels right on every CPU"
                + " with AVX2; bin/thetalazy and the build keep a value already set), or on an Intel CPU"
                + " use MKL (THETALAZY_BLAS=mkl, built with mvn -B package -DskipTests -Pmkl); -D%s=false turns this"
                + " check off").formatted(blas.describe(), found, PROPERTY));
    }

    /**
     * Random operands a [m, k], b [k, n] and c0 [m, n] as flat arrays of either layout, with the plain-Java results
     * every check of alpha a b + beta c0 compares against: the projections a (b v) and c0 v with their magnitude
     * bounds, and exact sums at sampled entries.
     */
    private static final class Product {
        private static final int SAMPLES = 32;
        private final int m;
        private final int k;
        private final int n;
        private final double[][] flatA = new double[2][];
        private final double[][] flatB = new double[2][];
        private final double[] c0;
        private final double[] v;
        private final double[] abv;
        private final double[] abvBound;
        private final double[] c0v;
        private final double[] c0vBound;
        private final int[] sampleRows = new int[SAMPLES];
        private final int[] sampleColumns = new int[SAMPLES];
        private final double[] sampleSums = new double[SAMPLES];
        private final double[] sampleMagnitudes = new double[SAMPLES];
        private final INDArray[] arraysA = new INDArray[2];
        private final INDArray[] arraysB = new INDArray[2];
        private INDArray result;

        Product(int m, int k, int n, SplittableRandom random) {
            this.m = m;
            this.k = k;
            this.n = n;
            double[][] a = uniform(m, k, random);
            double[][] b = uniform(k, n, random);
            double[][] c = uniform(m, n, random);
            for (int transposed = 0; transposed < 2; transposed++) {
                flatA[transposed] = flat(a, transposed == 1);
                flatB[transposed] = flat(b, transposed == 1);
            }
            c0 = flat(c, false);
            v = uniformVector(n, random);
            abv = times(a, times(b, v, false), false);
            abvBound = times(a, times(b, v, true), true);
            c0v = times(c, v, false);
            c0vBound = times(c, v, true);
            for (int sample = 0; sample < SAMPLES; sample++) {
                int i = random.nextInt(m);
                int j = random.nextInt(n);
                sampleRows[sample] = i;
                sampleColumns[sample] = j;
                for (int p = 0; p < k; p++) {
                    sampleSums[sample] += a[i][p] * b[p][j];
                    sampleMagnitudes[sample] += Math.abs(a[i][p] * b[p][j]);
                }
            }
        }

        /** c = alpha op(a) op(b) + beta c0 by the library, checked by a random projection and sampled entries. */
        void check(Operations operations, boolean ta, boolean tb, double alpha, double beta, List<String> failures) {
            // the 'c'-order array of a, or of a^T with the transpose flag: op(left) = a either way. Operands are made
            // once and the result's array is reused: fresh native memory is slow to touch (docs/numerics.md)
            int left = ta ? 1 : 0;
            int right = tb ? 1 : 0;
            if (arraysA[left] == null) {
                arraysA[left] = Nd4j.create(flatA[left], ta ? new long[] {k, m} : new long[] {m, k}, DataType.DOUBLE);
            }
            if (arraysB[right] == null) {
                arraysB[right] = Nd4j.create(flatB[right], tb ? new long[] {n, k} : new long[] {k, n}, DataType.DOUBLE);
            }
            if (result == null) {
                result = Nd4j.create(DataType.DOUBLE, m, n);
            }
            result.data().setData(c0);
            operations.gemm(arraysA[left], arraysB[right], result, ta, tb, alpha, beta);
            double[] product = result.data().asDouble();
            // Freivalds: c v against alpha a (b v) + beta c0 v, each row's error relative to its sum of magnitudes
            double worst = 0;
            for (int i = 0; i < m; i++) {
                double actual = 0;
                for (int j = 0; j < n; j++) {
                    actual += product[i * n + j] * v[j];
                }
                double scale = Math.abs(alpha) * abvBound[i] + Math.abs(beta) * c0vBound[i];
                worst = Math.max(worst, Math.abs(actual - alpha * abv[i] - beta * c0v[i]) / scale);
            }
            for (int sample = 0; sample < SAMPLES; sample++) {
                int entry = sampleRows[sample] * n + sampleColumns[sample];
                double scale = Math.abs(alpha) * sampleMagnitudes[sample] + Math.abs(beta * c0[entry]);
                double expected = alpha * sampleSums[sample] + beta * c0[entry];
                worst = Math.max(worst, Math.abs(product[entry] - expected) / scale);
            }
            if (!(worst < TOLERANCE)) {
                failures.add("GEMM [%d, %d] x [%d, %d]%s%s alpha %s beta %s is off by %.2g relative".formatted(m, k, k,
                        n, ta ? " (A transposed)" : "", tb ? " (B transposed)" : "", alpha, beta, worst));
            }
        }
    }

    /**
     * S = X X^T + I for a random X [n, rank] (eigenvalues at least 1), its trace and Frobenius norm, and the vector u
     * of the residual and orthogonality checks of its computed eigensystem.
     */
    private static final class SpdMatrix {
        private final int n;
        private final double[][] s;
        private final double[] sFlat;
        private final double trace;
        private final double frobenius;
        private final double[] u;

        SpdMatrix(int n, int rank, SplittableRandom random) {
            this.n = n;
            double[][] x = uniform(n, rank, random);
            s = new double[n][n];
            double diagonal = 0;
            double squares = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    double sum = i == j ? 1.0 : 0.0;
                    for (int p = 0; p < rank; p++) {
                        sum += x[i][p] * x[j][p];
                    }
                    s[i][j] = sum;
                    s[j][i] = sum;
                    squares += (i == j ? 1 : 2) * sum * sum;
                }
                diagonal += s[i][i];
            }
            trace = diagonal;
            frobenius = Math.sqrt(squares);
            sFlat = flat(s, false);
            u = uniformVector(n, random);
        }

        /** The library's eigendecomposition: eigenvalues >= 1, their sum the trace, S V = V diag(values), V^T V = I. */
        void check(Operations operations, List<String> failures) {
            INDArray vectors = Nd4j.create(sFlat, new long[] {n, n}, DataType.DOUBLE).dup('f');   // S is symmetric
            double[] values = operations.symmetricEigen(vectors).toDoubleVector();
            double[][] v = rows(vectors, n, n);
            double sum = 0;
            double smallest = Double.POSITIVE_INFINITY;
            for (double value : values) {
                sum += value;
                smallest = Math.min(smallest, value);
            }
            double[] vu = times(v, u, false);
            double[] lhs = times(s, vu, false);
            double[] scaled = new double[n];
            for (int i = 0; i < n; i++) {
                scaled[i] = values[i] * u[i];
            }
            double residual = distance(lhs, times(v, scaled, false)) / (frobenius * norm(u));
            double orthogonality = distance(transposeTimes(v, vu), u) / norm(u);
            if (!(smallest > 1 - TOLERANCE * frobenius && Math.abs(sum - trace) < TOLERANCE * trace
                    && residual < TOLERANCE && orthogonality < TOLERANCE)) {
                failures.add(("symmetric eigendecomposition of an SPD %d x %d matrix (eigenvalues >= 1) is wrong:"
                        + " smallest eigenvalue %.4g, trace error %.2g, relative residual %.2g, orthogonality error"
                        + " %.2g").formatted(n, n, smallest, Math.abs(sum - trace) / trace, residual, orthogonality));
            }
        }
    }

    private static double[][] uniform(int rows, int columns, SplittableRandom random) {
        double[][] out = new double[rows][];
        for (int i = 0; i < rows; i++) {
            out[i] = uniformVector(columns, random);
        }
        return out;
    }

    /** Entries uniform in [-1, 1): as good as Gaussian ones for exposing wrong kernels, and cheaper to draw. */
    private static double[] uniformVector(int length, SplittableRandom random) {
        double[] out = new double[length];
        for (int i = 0; i < length; i++) {
            out[i] = random.nextDouble(-1, 1);
        }
        return out;
    }

    /** The entries in row-major order, of the transpose when {@code transposed}. */
    private static double[] flat(double[][] values, boolean transposed) {
        int rows = values.length;
        int columns = values[0].length;
        double[] flat = new double[rows * columns];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                flat[transposed ? j * rows + i : i * columns + j] = values[i][j];
            }
        }
        return flat;
    }

    private static double[][] rows(INDArray array, int rows, int columns) {
        double[] flat = array.dup('c').data().asDouble();
        double[][] out = new double[rows][columns];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(flat, i * columns, out[i], 0, columns);
        }
        return out;
    }

    /** a v, or |a| |v| entrywise when {@code magnitudes}. */
    private static double[] times(double[][] a, double[] v, boolean magnitudes) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            double[] row = a[i];
            double sum = 0;
            for (int j = 0; j < v.length; j++) {
                sum += magnitudes ? Math.abs(row[j] * v[j]) : row[j] * v[j];
            }
            out[i] = sum;
        }
        return out;
    }

    private static double[] transposeTimes(double[][] a, double[] v) {
        double[] out = new double[a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < out.length; j++) {
                out[j] += a[i][j] * v[i];
            }
        }
        return out;
    }

    private static double distance(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(sum);
    }

    private static double norm(double[] v) {
        double sum = 0;
        for (double x : v) {
            sum += x * x;
        }
        return Math.sqrt(sum);
    }
}
