package io.thetalazy.kernels.predict;

import java.util.Arrays;

/**
 * Eigenvalues of a small symmetric matrix by cyclic Jacobi rotations, in plain Java: for the n x n training kernel of a
 * few points (phase-diagram cells: n = 4) a LAPACK call through ND4J costs far more than the arithmetic, which is
 * O(n^3) per sweep with a handful of sweeps. Jacobi is accurate to a small multiple of the unit round-off times
 * |A|_F, as LAPACK's symmetric solver is.
 */
final class Jacobi {
    /** The largest order {@link Spectra} sends here; larger matrices go to LAPACK. */
    static final int MAX_ORDER = 32;
    private static final int MAX_SWEEPS = 64;

    private Jacobi() {}

    /**
     * The eigenvalues, ascending, of the symmetric matrix given row-major in {@code a} [n * n] (overwritten).
     *
     * @throws IllegalStateException when the rotations do not converge (not seen for finite symmetric input)
     */
    static double[] eigenvalues(double[] a, int n) {
        if (a.length != n * n) {
            // package-private: Spectra passes a checked square matrix
            throw new IllegalArgumentException("expected %d entries for order %d, found %d".formatted(n * n, n, a.length));
        }
        double total = 0;
        for (double value : a) {
            total += value * value;
        }
        // off-diagonal mass below (2^-60 |A|_F)^2 moves the eigenvalues by far less than one unit in the last place
        double threshold = total * 0x1p-120;
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    off += a[p * n + q] * a[p * n + q];
                }
            }
            if (off <= threshold) {
                return diagonal(a, n);
            }
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    rotate(a, n, p, q);
                }
            }
        }
        // cyclic Jacobi converges for every finite symmetric matrix, which Spectra checks for: this is a bug
        throw new IllegalStateException("Jacobi rotations did not converge in %d sweeps".formatted(MAX_SWEEPS));
    }

    /** A <- J^T A J with the rotation in the (p, q) plane that zeroes a_pq (Golub and Van Loan, 8.5.2). */
    private static void rotate(double[] a, int n, int p, int q) {
        double apq = a[p * n + q];
        if (apq == 0) {
            return;
        }
        double app = a[p * n + p];
        double aqq = a[q * n + q];
        double tau = (aqq - app) / (2 * apq);
        double t = Math.signum(tau) == 0 ? 1 : Math.signum(tau) / (Math.abs(tau) + Math.hypot(1, tau));
        double c = 1 / Math.sqrt(1 + t * t);
        double s = t * c;
        for (int k = 0; k < n; k++) {
            double akp = a[k * n + p];
            double akq = a[k * n + q];
            a[k * n + p] = c * akp - s * akq;
            a[k * n + q] = s * akp + c * akq;
        }
        for (int k = 0; k < n; k++) {
            double apk = a[p * n + k];
            double aqk = a[q * n + k];
            a[p * n + k] = c * apk - s * aqk;
            a[q * n + k] = s * apk + c * aqk;
        }
        a[p * n + q] = 0;
        a[q * n + p] = 0;
    }

    private static double[] diagonal(double[] a, int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = a[i * n + i];
        }
        Arrays.sort(values);
        return values;
    }
}
