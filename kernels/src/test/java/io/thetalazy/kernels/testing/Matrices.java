package io.thetalazy.kernels.testing;

import io.thetalazy.core.init.Seeds;
import io.thetalazy.core.layer.Params;
import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Matrix helpers for the kernels module's tests. */
public final class Matrices {
    private Matrices() {}

    /** |actual - expected|_F / |expected|_F. */
    public static double relativeError(INDArray actual, INDArray expected) {
        return actual.distance2(expected) / expected.norm2Number().doubleValue();
    }

    /** A Gaussian matrix [rows, columns] from a seed. */
    public static INDArray gaussian(long rows, long columns, long seed) {
        RandomGenerator rng = Seeds.generator(seed, "test-matrix");
        double[] values = new double[Math.toIntExact(rows * columns)];
        for (int i = 0; i < values.length; i++) {
            values[i] = rng.nextGaussian();
        }
        return Nd4j.create(values, new long[] {rows, columns}, DataType.DOUBLE);
    }

    /** Q diag(eigenvalues) Q^T with Q a random orthogonal matrix. */
    public static INDArray withSpectrum(double[] eigenvalues, long seed) {
        int n = eigenvalues.length;
        INDArray q = orthogonal(n, seed);
        INDArray diagonal = Nd4j.diag(Nd4j.create(eigenvalues, new long[] {n}, DataType.DOUBLE));
        INDArray a = q.mmul(diagonal).mmul(q.transpose());
        return a.add(a.transpose()).muli(0.5);
    }

    /** A random orthogonal matrix by Gram-Schmidt on a Gaussian matrix (done in Java: no ND4J factorization). */
    public static INDArray orthogonal(int n, long seed) {
        double[][] columns = gaussian(n, n, seed).transpose().toDoubleMatrix();
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < j; k++) {
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += columns[j][i] * columns[k][i];
                }
                for (int i = 0; i < n; i++) {
                    columns[j][i] -= dot * columns[k][i];
                }
            }
            double norm = 0;
            for (int i = 0; i < n; i++) {
                norm += columns[j][i] * columns[j][i];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                columns[j][i] /= norm;
            }
        }
        return Nd4j.create(columns).transpose().dup();
    }

    /** Moves every parameter off its initial value (W += scale * |W|_rms * Z), so antisymmetric copies differ. */
    public static void perturb(Params params, double scale, long seed) {
        for (String name : params.names()) {
            INDArray array = params.get(name);
            double rms = array.norm2Number().doubleValue() / Math.sqrt(array.length());
            INDArray noise = gaussian(1, array.length(), Seeds.derive(seed, name)).reshape(array.shape());
            array.addi(noise.muli(scale * (rms > 0 ? rms : 1)));
        }
    }
}
