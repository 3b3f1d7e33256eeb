package io.thetalazy.kernels.io;

import static io.thetalazy.core.error.ErrorCode.INVALID_FILE;

import io.thetalazy.core.error.FrameworkException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Files written whole or not at all: a temporary file next to the target, renamed into place when complete. */
public final class AtomicFiles {
    private AtomicFiles() {}

    public static void write(Path file, Npy.Writer writer) {
        Path target = file.toAbsolutePath();
        try {
            Files.createDirectories(target.getParent());
            Path temporary = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            try {
                try (OutputStream out = Files.newOutputStream(temporary)) {
                    writer.write(out);
                }
                try {
                    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new FrameworkException(INVALID_FILE, "cannot write %s: %s".formatted(file, e.getMessage()), e);
        }
    }

    public static void writeString(Path file, String text) {
        write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
