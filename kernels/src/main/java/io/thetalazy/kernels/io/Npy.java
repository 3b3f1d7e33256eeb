package io.thetalazy.kernels.io;

import static io.thetalazy.core.error.ErrorCode.INVALID_FILE;

import io.thetalazy.core.error.FrameworkException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * NumPy {@code .npy} files (format versions 1 to 3): arrays are written as little-endian float64 in C order, read from
 * float64, float32, int64, int32 or uint8 in C or Fortran order into float64. Writes are atomic: a temporary file in
 * the same folder is renamed into place, so an interrupted write never leaves a file that looks complete.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** Writes the array as float64 (C order), atomically. */
    public static void write(Path file, INDArray array) {
        double[] values = array.dup('c').data().asDouble();
        long[] shape = array.shape();
        String shapeText = shape.length == 1 ? "(" + shape[0] + ",)"
                : Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", ", "(", ")"));
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': " + shapeText + ", }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(padding) + "\n";
        ByteBuffer buffer = ByteBuffer.allocate(MAGIC.length + 4 + header.length() + values.length * 8)
                .order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        buffer.put(header.getBytes(StandardCharsets.US_ASCII));
        buffer.asDoubleBuffer().put(values);
        AtomicFiles.write(file, out -> out.write(buffer.array()));
    }

    /** Reads a numeric array as float64 (C order). */
    public static INDArray read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new FrameworkException(INVALID_FILE, "file not found: " + file);
        } catch (IOException e) {
            throw new FrameworkException(INVALID_FILE, "cannot read %s: %s".formatted(file, e.getMessage()), e);
        }
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
            throw invalid(file, "not a .npy file (the magic string \\x93NUMPY is missing)");
        }
        int major = bytes[6];
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength;
        int offset;
        if (major == 1) {
            headerLength = Short.toUnsignedInt(buffer.getShort(8));
            offset = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw invalid(file, "truncated header");
            }
            headerLength = buffer.getInt(8);
            offset = 12;
        } else {
            throw invalid(file, "unsupported .npy format version " + major);
        }
        if (headerLength < 0 || offset + headerLength > bytes.length) {
            throw invalid(file, "truncated header");
        }
        String header = new String(bytes, offset, headerLength, StandardCharsets.ISO_8859_1);
        String descr = find(file, DESCR, header, "descr");
        boolean fortran = find(file, ORDER, header, "fortran_order").equals("True");
        long[] shape = parseShape(file, find(file, SHAPE, header, "shape"));
        long count = 1;
        for (long s : shape) {
            count *= s;
        }
        int dataStart = offset + headerLength;
        ByteOrder order = descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        String type = descr.substring(1);
        int width = switch (type) {
            case "f8", "i8" -> 8;
            case "f4", "i4" -> 4;
            case "u1", "b1" -> 1;
            default -> throw invalid(file, "unsupported dtype '" + descr + "' (use float64, float32, int64, int32 or uint8)");
        };
        long expected = count * width;
        if (bytes.length - dataStart < expected) {
            throw invalid(file, "truncated data: the header's shape %s needs %d bytes, the file has %d"
                    .formatted(Arrays.toString(shape), expected, bytes.length - dataStart));
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, (int) expected).slice().order(order);
        double[] values = new double[Math.toIntExact(count)];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (type) {
                case "f8" -> data.getDouble(i * 8);
                case "f4" -> data.getFloat(i * 4);
                case "i8" -> data.getLong(i * 8);
                case "i4" -> data.getInt(i * 4);
                default -> Byte.toUnsignedInt(data.get(i));
            };
        }
        long[] arrayShape = shape.length == 0 ? new long[] {1} : shape;
        if (fortran && shape.length > 1) {
            // Fortran order of shape (a, b, c) is C order of (c, b, a), transposed
            long[] reversed = new long[arrayShape.length];
            int[] axes = new int[arrayShape.length];
            for (int i = 0; i < arrayShape.length; i++) {
                reversed[i] = arrayShape[arrayShape.length - 1 - i];
                axes[i] = arrayShape.length - 1 - i;
            }
            return Nd4j.create(values, reversed, DataType.DOUBLE).permute(axes).dup('c');
        }
        return Nd4j.create(values, arrayShape, DataType.DOUBLE);
    }

    private static String find(Path file, Pattern pattern, String header, String key) {
        Matcher matcher = pattern.matcher(header);
        if (!matcher.find()) {
            throw invalid(file, "header has no valid '" + key + "' entry");
        }
        return matcher.group(1);
    }

    private static long[] parseShape(Path file, String text) {
        String[] parts = text.split(",");
        return Arrays.stream(parts).map(String::trim).filter(s -> !s.isEmpty()).mapToLong(s -> {
            try {
                long value = Long.parseLong(s.replace("L", ""));
                if (value < 0) {
                    throw invalid(file, "negative dimension in shape (" + text + ")");
                }
                return value;
            } catch (NumberFormatException e) {
                throw invalid(file, "shape (" + text + ") is not a tuple of integers");
            }
        }).toArray();
    }

    private static FrameworkException invalid(Path file, String problem) {
        return new FrameworkException(INVALID_FILE, "%s: %s".formatted(file, problem));
    }

    /** Writes through an OutputStream. */
    @FunctionalInterface
    public interface Writer {
        /** Writes the content to out (which the caller closes). */
        void write(OutputStream out) throws IOException;
    }
}
