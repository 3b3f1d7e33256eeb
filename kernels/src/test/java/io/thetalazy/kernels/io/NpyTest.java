package io.thetalazy.kernels.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thetalazy.core.error.ErrorCode;
import io.thetalazy.core.error.FrameworkException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

final class NpyTest {
    @TempDir
    Path folder;

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(NpyTest.class.getResource("/npy/" + name).toURI());
    }

    @Test
    void readsFilesWrittenByNumpy() throws URISyntaxException {
        INDArray f8 = Npy.read(resource("f8.npy"));
        assertThat(f8.shape()).containsExactly(2, 3);
        assertThat(f8.getDouble(1, 2)).isEqualTo(1.25);
        INDArray fortran = Npy.read(resource("f4_fortran.npy"));
        assertThat(fortran.shape()).containsExactly(2, 3);
        assertThat(fortran.getDouble(0, 1)).isEqualTo(1.0);
        assertThat(fortran.getDouble(1, 0)).isEqualTo(3.0);
        assertThat(Npy.read(resource("i8.npy")).toDoubleVector()).containsExactly(3, -1, 7);
        INDArray bytes = Npy.read(resource("u1_3d.npy"));
        assertThat(bytes.shape()).containsExactly(2, 3, 4);
        assertThat(bytes.getDouble(1, 2, 3)).isEqualTo(23);
    }

    @Test
    void roundTripsFloat64Exactly() {
        INDArray original = Nd4j.rand(DataType.DOUBLE, 5, 7).subi(0.5).muli(1e-3);
        Path file = folder.resolve("a.npy");
        Npy.write(file, original);
        INDArray back = Npy.read(file);
        assertThat(back.shape()).containsExactly(5, 7);
        assertThat(back.data().asDouble()).containsExactly(original.dup('c').data().asDouble());
        Npy.write(folder.resolve("v.npy"), Nd4j.createFromArray(1.0, 2.0));
        assertThat(Npy.read(folder.resolve("v.npy")).shape()).containsExactly(2);
    }

    @Test
    void headerIsAlignedToSixtyFourBytes() throws IOException {
        Path file = folder.resolve("b.npy");
        Npy.write(file, Nd4j.zeros(DataType.DOUBLE, 3, 4));
        byte[] bytes = Files.readAllBytes(file);
        int header = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
        assertThat((10 + header) % 64).isZero();
        assertThat(bytes.length).isEqualTo(10 + header + 12 * 8);
    }

    @Test
    void rejectsTruncatedAndForeignFilesNamingTheProblem() throws Exception {
        assertThatThrownBy(() -> Npy.read(resource("truncated.npy")))
                .isInstanceOf(FrameworkException.class)
                .hasMessageContaining("truncated.npy")
                .hasMessageContaining("truncated data");
        Path text = folder.resolve("text.npy");
        Files.writeString(text, "x,y\n1,2\n");
        assertThatThrownBy(() -> Npy.read(text)).hasMessageContaining("not a .npy file");
        assertThatThrownBy(() -> Npy.read(folder.resolve("missing.npy")))
                .isInstanceOf(FrameworkException.class)
                .satisfies(e -> assertThat(((FrameworkException) e).errorCode()).isEqualTo(ErrorCode.INVALID_FILE))
                .hasMessageContaining("file not found");
    }
}
