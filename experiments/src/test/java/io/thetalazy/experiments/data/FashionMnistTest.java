package io.thetalazy.experiments.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.experiments.config.Named;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

final class FashionMnistTest {
    @TempDir
    Path folder;

    /** Six 4x4 images: image i has every pixel equal to 10 i + its row (so 2x2 pooling averages rows), label i % 3. */
    private Path writeTinySet(boolean gzip, boolean truncate) throws IOException {
        Path dir = Files.createDirectories(folder.resolve(gzip ? "gz" : "raw"));
        ByteArrayOutputStream images = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(images);
        out.writeInt(0x00000803);
        out.writeInt(6);
        out.writeInt(4);
        out.writeInt(4);
        for (int i = 0; i < 6; i++) {
            for (int r = 0; r < 4; r++) {
                for (int c = 0; c < 4; c++) {
                    out.writeByte(10 * i + r);
                }
            }
        }
        ByteArrayOutputStream labels = new ByteArrayOutputStream();
        DataOutputStream lout = new DataOutputStream(labels);
        lout.writeInt(0x00000801);
        lout.writeInt(6);
        for (int i = 0; i < 6; i++) {
            lout.writeByte(i % 3);
        }
        byte[] imageBytes = images.toByteArray();
        if (truncate) {
            imageBytes = java.util.Arrays.copyOf(imageBytes, imageBytes.length - 7);
        }
        write(dir.resolve("train-images-idx3-ubyte" + (gzip ? ".gz" : "")), imageBytes, gzip);
        write(dir.resolve("train-labels-idx1-ubyte" + (gzip ? ".gz" : "")), labels.toByteArray(), gzip);
        return dir;
    }

    private static void write(Path file, byte[] bytes, boolean gzip) throws IOException {
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(bytes);
        }
    }

    private static Dataset load(Path dir, Map<String, Object> more) {
        Map<String, Object> parameters = new java.util.LinkedHashMap<>(more);
        parameters.put("dir", dir.toString());
        return DataSources.load(new Named("fashion-mnist", parameters), dir, 0);
    }

    @Test
    void readsPoolsAndLabelsASubsetFromGzipAndPlainFiles() throws IOException {
        for (boolean gzip : new boolean[] {true, false}) {
            Path dir = writeTinySet(gzip, false);
            Dataset data = load(dir, Map.of("classes", List.of(0, 2), "perClass", 2, "size", 2, "layout", "image",
                    "normalization", "pixel"));
            assertThat(data.x().shape()).containsExactly(4, 1, 2, 2);
            assertThat(data.y().toDoubleVector()).containsExactly(-1, -1, 1, 1);
            for (int s = 0; s < 4; s++) {
                INDArray image = data.x().get(org.nd4j.linalg.indexing.NDArrayIndex.point(s));
                double top = image.getDouble(0, 0, 0);
                double bottom = image.getDouble(0, 1, 0);
                // rows 0,1 average to base + 0.5 and rows 2,3 to base + 2.5 (pixel scale / 255)
                assertThat((bottom - top) * 255).isCloseTo(2, within(1e-9));
                int base = (int) Math.round(top * 255 - 0.5);
                assertThat(base % 10).isZero();
                int label = (base / 10) % 3;
                assertThat(label).isEqualTo(data.y().getDouble(s, 0) < 0 ? 0 : 2);
            }
        }
    }

    @Test
    void flatLayoutAppendsABiasCoordinateAndScalesRowsToNormD() throws IOException {
        Path dir = writeTinySet(true, false);
        Dataset data = load(dir, Map.of("classes", List.of(1), "perClass", 2, "size", 4, "targets", "one-vs-rest",
                "positive", 1));
        assertThat(data.x().shape()).containsExactly(2, 17);
        for (double norm : data.x().mul(data.x()).sum(1).toDoubleVector()) {
            assertThat(norm).isCloseTo(17, within(1e-12));
        }
        assertThat(data.x().getDouble(0, 16)).isPositive();
        assertThat(data.y().toDoubleVector()).containsOnly(1.0);
    }

    @Test
    void missingPackageTruncatedFilesAndBadRequestsAreExplained() throws IOException {
        assertThatThrownBy(() -> load(folder.resolve("nowhere"), Map.of()))
                .isInstanceOf(FrameworkException.class)
                .hasMessageContaining("apt-get install dataset-fashion-mnist");
        Path truncated = writeTinySet(true, true);
        assertThatThrownBy(() -> load(truncated, Map.of("classes", List.of(0), "perClass", 1, "size", 2)))
                .hasMessageContaining("train-images-idx3-ubyte.gz")
                .hasMessageContaining("truncated");
        Path dir = writeTinySet(false, false);
        Files.write(dir.resolve("train-labels-idx1-ubyte"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertThatThrownBy(() -> load(dir, Map.of()))
                .hasMessageContaining("train-labels-idx1-ubyte")
                .hasMessageContaining("not an IDX file");
        Path ok = writeTinySet(true, false);
        assertThatThrownBy(() -> load(ok, Map.of("classes", List.of(0), "perClass", 5, "size", 2)))
                .hasMessageContaining("has 2 examples of class 0, asked for 5");
        assertThatThrownBy(() -> load(ok, Map.of("size", 3))).hasMessageContaining("size must divide the image side 4, found 3");
    }

    /** The real data set, which .ci/run installs from Debian's dataset-fashion-mnist package. */
    @Test
    void readsDebiansFashionMnist() {
        Path dir = Path.of(FashionMnist.DEFAULT_DIRECTORY);
        assertThat(dir).as("Debian's dataset-fashion-mnist package must be installed (.ci/run installs it)").isDirectory();
        Dataset data = DataSources.load(new Named("fashion-mnist", Map.of("classes", List.of(0, 9), "perClass", 8,
                "size", 7, "layout", "image")), dir, 1);
        assertThat(data.x().shape()).containsExactly(16, 1, 7, 7);
        assertThat(data.y().sumNumber().doubleValue()).isZero();
        double norm = data.x().get(org.nd4j.linalg.indexing.NDArrayIndex.point(0)).norm2Number().doubleValue();
        assertThat(norm * norm).isCloseTo(49, within(1e-9));
    }
}
