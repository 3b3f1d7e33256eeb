package io.thetalazy.core.layer;

import static org.assertj.core.api.Assertions.assertThat;

import io.thetalazy.core.error.ErrorCode;
import io.thetalazy.core.error.FrameworkException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The start-up BLAS check: passes on the library this JVM runs with, catches wrong products and eigensystems. */
final class BlasSelfCheckTest {
    static {
        Numerics.useFloat64();
    }

    /** ND4J's operations with a fault injected, as broken kernels produce them. */
    private record Faulty(boolean corruptGemm, boolean corruptEigen) implements BlasSelfCheck.Operations {
        @Override
        public void gemm(INDArray a, INDArray b, INDArray c, boolean ta, boolean tb, double alpha, double beta) {
            BlasSelfCheck.ND4J.gemm(a, b, c, ta, tb, alpha, beta);
            if (corruptGemm && c.size(0) >= 256) {
                // one block of entries 10% off, the pattern of the broken AVX-512 kernels
                c.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(64, 80),
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(128, 144)).muli(1.1);
            }
        }

        @Override
        public INDArray symmetricEigen(INDArray a) {
            INDArray values = BlasSelfCheck.ND4J.symmetricEigen(a);
            if (corruptEigen) {
                a.getColumn(3).muli(-0.5);   // one eigenvector wrong: residual and orthogonality fail, values right
            }
            return values;
        }
    }

    @Test
    void passesOnTheLibraryThisJvmRunsWith() {
        assertThat(BlasSelfCheck.failures(BlasSelfCheck.ND4J)).isEmpty();
        assertThat(BlasSelfCheck.run(BlasSelfCheck.prepare().join())).isNull();
    }

    @Test
    void catchesABlockOfWrongProductEntries() {
        List<String> failures = BlasSelfCheck.failures(new Faulty(true, false));
        assertThat(failures).isNotEmpty().allSatisfy(f -> assertThat(f).startsWith("GEMM"));
        assertThat(failures).hasSize(4);   // every product of the check
    }

    @Test
    void catchesAWrongEigenvector() {
        assertThat(BlasSelfCheck.failures(new Faulty(false, true)))
                .singleElement().asString().contains("symmetric eigendecomposition", "residual");
    }

    @Test
    void failureIsABrokenBlasErrorNamingTheLibraryAndTheFix() {
        BlasInfo blas = new BlasInfo("OPENBLAS", "0.3.19", "detected", 2, "Intel Xeon (avx512)");
        FrameworkException error = BlasSelfCheck.error(BlasSelfCheck.failures(new Faulty(true, true)), blas);
        assertThat(error.errorCode()).isEqualTo(ErrorCode.BROKEN_BLAS);
        assertThat(error.getMessage())
                .contains("OPENBLAS 0.3.19 (core type detected by OpenBLAS: OPENBLAS_CORETYPE unset)", "Intel Xeon (avx512)")
                .contains("GEMM [256, 256] x [256, 256]", "symmetric eigendecomposition")
                .contains("OPENBLAS_CORETYPE=Haswell", "THETALAZY_BLAS=mkl", "-Dthetalazy.blas.check=false")
                .doesNotContain("\n");
    }

    @Test
    void describesTheLibraryOfThisProcess() throws java.io.IOException {
        BlasInfo blas = BlasInfo.current();
        // the mkl profile loads MKL in place of OpenBLAS; the default build OpenBLAS
        boolean mkl = "mkl_rt".equals(System.getProperty("org.bytedeco.openblas.load"));
        assertThat(blas.vendor()).isEqualTo(mkl ? "MKL" : "OPENBLAS");
        assertThat(blas.threads()).isPositive();
        assertThat(blas.describe()).startsWith(blas.vendor()).contains(blas.cpu());
        if (blas.vendor().equals("OPENBLAS")) {
            // bin/java-blas starts every test JVM either on the OpenBLAS runtime the build unpacked (its kernels
            // detected, unless the environment names them) or on the bundled 0.3.19 with Haswell kernels
            String runtime = System.getProperty("org.bytedeco.javacpp.platform.preloadpath", "");
            String coreType = System.getenv("OPENBLAS_CORETYPE");
            if (runtime.contains("openblas-")) {
                assertThat(runtime).contains("openblas-" + blas.version() + "-");
                assertThat(blas.coreType()).isEqualTo(coreType == null || coreType.isBlank() ? "detected" : coreType);
            } else {
                // ND4J's bundled release, as the build records it from the POM (0.3.19-1.5.7: 0.3.19)
                java.util.Properties properties = new java.util.Properties();
                try (var in = BlasInfo.class.getResourceAsStream("blas.properties")) {
                    properties.load(in);
                }
                assertThat(properties.getProperty("bundled")).startsWith(blas.version() + "-");
                assertThat(blas.coreType()).isEqualTo(coreType).isNotBlank();
            }
            assertThat(blas.describe()).startsWith("OPENBLAS " + blas.version() + " (core type ");
            // and with its workers' spin after a product shortened (bin/blas-env), or the user's own value
            assertThat(System.getenv("OPENBLAS_THREAD_TIMEOUT")).as("OPENBLAS_THREAD_TIMEOUT").isNotBlank();
        }
    }

    @Test
    void namesTheOptionsThatChooseThisJvmsBlas() {
        // bin/java-blas starts the test JVMs with JavaCPP's options (at least the off-heap caps of the POM's argLine)
        assertThat(BlasInfo.jvmOptions()).isNotEmpty()
                .allMatch(option -> option.startsWith("-Dorg.bytedeco.") || option.startsWith("-Djava.library.path="))
                .contains("-Dorg.bytedeco.javacpp.maxbytes=" + System.getProperty("org.bytedeco.javacpp.maxbytes"));
        String runtime = System.getProperty("org.bytedeco.javacpp.platform.preloadpath");
        if (runtime != null) {
            assertThat(BlasInfo.jvmOptions()).contains("-Dorg.bytedeco.javacpp.platform.preloadpath=" + runtime,
                    "-Dorg.bytedeco.javacpp.pathsFirst=true");
        }
    }
}
