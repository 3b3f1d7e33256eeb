package io.thetalazy.experiments.data;

import static io.thetalazy.core.error.ErrorCode.INVALID_FILE;

import io.thetalazy.core.error.FrameworkException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * IDX files (the MNIST format), plain or gzip-compressed: a magic number 0x0000TTRR (type TT = 0x08 for unsigned
 * bytes, RR dimensions), RR big-endian sizes, then the data. Truncated or corrupt files are errors naming the file.
 */
public final class Idx {
    private Idx() {}

    /** The dimensions and the unsigned bytes of an IDX file of type 0x08 (shared between readers: never modify). */
    public record Bytes(int[] dimensions, byte[] data) {}

    /** A file as read, by path, size and modification time: an experiment's cells read the same files many times. */
    private record Key(Path file, long size, long modified, int rank) {}

    private static final java.util.Map<Key, java.lang.ref.SoftReference<Bytes>> READ =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Reads an IDX file, or returns the copy read before when the file has not changed since (held softly). */
    public static Bytes read(Path file, int expectedRank) {
        Key key;
        try {
            Path absolute = file.toAbsolutePath().normalize();
            key = new Key(absolute, Files.size(absolute), Files.getLastModifiedTime(absolute).toMillis(), expectedRank);
        } catch (IOException e) {
            return readFile(file, expectedRank);   // its error names the problem
        }
        java.lang.ref.SoftReference<Bytes> cached = READ.get(key);
        Bytes bytes = cached == null ? null : cached.get();
        if (bytes == null) {
            bytes = readFile(file, expectedRank);
            READ.put(key, new java.lang.ref.SoftReference<>(bytes));
        }
        return bytes;
    }

    private static Bytes readFile(Path file, int expectedRank) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            int b1 = raw.read();
            int b2 = raw.read();
            raw.reset();
            InputStream in = b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
            DataInputStream data = new DataInputStream(in);
            int magic = data.readInt();
            int type = (magic >>> 8) & 0xff;
            int rank = magic & 0xff;
            if ((magic >>> 16) != 0 || type != 0x08) {
                throw invalid(file, "not an IDX file of unsigned bytes (magic number 0x%08x)".formatted(magic));
            }
            if (rank != expectedRank) {
                throw invalid(file, "has %d dimensions, expected %d".formatted(rank, expectedRank));
            }
            int[] dimensions = new int[rank];
            long size = 1;
            for (int i = 0; i < rank; i++) {
                dimensions[i] = data.readInt();
                if (dimensions[i] <= 0) {
                    throw invalid(file, "dimension %d is %d".formatted(i, dimensions[i]));
                }
                size *= dimensions[i];
            }
            if (size > Integer.MAX_VALUE - 8) {
                throw invalid(file, "too large (%d entries)".formatted(size));
            }
            byte[] bytes = new byte[(int) size];
            try {
                data.readFully(bytes);
            } catch (EOFException e) {
                throw invalid(file, "truncated: the header announces %d bytes of data".formatted(size));
            }
            return new Bytes(dimensions, bytes);
        } catch (NoSuchFileException e) {
            throw new FrameworkException(INVALID_FILE, "file not found: " + file);
        } catch (EOFException e) {
            throw invalid(file, "truncated header");
        } catch (ZipException e) {
            throw invalid(file, "corrupt gzip data (" + e.getMessage() + ")");
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("Unexpected end of ZLIB") || message.contains("Corrupt GZIP")) {
                throw invalid(file, "truncated or corrupt gzip data");
            }
            throw new FrameworkException(INVALID_FILE, "cannot read %s: %s".formatted(file, message), e);
        }
    }

    private static FrameworkException invalid(Path file, String problem) {
        return new FrameworkException(INVALID_FILE, file + ": " + problem);
    }
}
