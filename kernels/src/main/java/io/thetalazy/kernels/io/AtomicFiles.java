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
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/** Files written whole or not at all: a temporary file next to the target, renamed into place when complete. */
public final class AtomicFiles {
    private AtomicFiles() {}

    /**
     * Writes {@code file} whole through writer, creating its folder: readers see the old file or the new one, never
     * part of it.
     *
     * @throws io.thetalazy.core.error.FrameworkException {@code INVALID_FILE} when the file cannot be written
     */
    public static void write(Path file, Npy.Writer writer) {
        Path target = file.toAbsolutePath();
        try {
            Files.createDirectories(target.getParent());
            // not createTempFile: its owner-only permissions would stick to the result; this one takes the umask's
            Path temporary = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
            try {
                try (OutputStream out = Files.newOutputStream(temporary, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
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

    /** Writes text as UTF-8, whole or not at all ({@link #write}). */
    public static void writeString(Path file, String text) {
        write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Deletes the temporary files that writers killed mid-write left under {@code folder} (never read as results,
     * but clutter in a folder that is continued rather than cleared).
     */
    public static void deleteLeftovers(Path folder) {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (java.util.stream.Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(AtomicFiles::isTemporary).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new FrameworkException(INVALID_FILE, "cannot clear unfinished files in %s: %s".formatted(folder,
                    e.getMessage()), e);
        }
    }

    private static boolean isTemporary(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(".") && name.endsWith(".tmp") && Files.isRegularFile(file);
    }
}
