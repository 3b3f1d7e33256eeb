package io.thetalazy.core.kernel;

import static io.thetalazy.core.error.ErrorCode.INVALID_ARGUMENT;
import static java.util.Objects.requireNonNull;

import io.thetalazy.core.error.FrameworkException;
import java.util.Locale;
import org.bytedeco.javacpp.Pointer;

/**
 * The memory a kernel computation may still use, with where the numbers come from. ND4J arrays live off the Java heap
 * (docs/numerics.md#native-memory); ND4J 1.0.0-M2.1 allocates them outside JavaCPP's byte count, so what bounds them is
 * the process's resident size against {@code org.bytedeco.javacpp.maxphysicalbytes} and the machine's free memory.
 * {@link #ofProcess()} takes the least of those and of JavaCPP's {@code maxbytes} headroom; entrywise passes on Java
 * arrays need the Java heap as well.
 *
 * @param offHeapBytes bytes that ND4J arrays may still take; non-negative
 * @param heapBytes Java heap bytes still free; non-negative
 * @param description where the numbers come from, for error messages
 */
public record KernelMemory(long offHeapBytes, long heapBytes, String description) {
    /** Checks that both amounts are non-negative. */
    public KernelMemory {
        requireNonNull(description, "description is null");
        if (offHeapBytes < 0 || heapBytes < 0) {
            throw new FrameworkException(INVALID_ARGUMENT,
                    "memory must be non-negative, found %d off-heap and %d heap bytes"
                    .formatted(offHeapBytes, heapBytes));
        }
    }

    /** A fixed amount (tests, or a caller that shares the process's memory between workers). */
    public static KernelMemory of(long offHeapBytes, long heapBytes) {
        return new KernelMemory(offHeapBytes, heapBytes, "a fixed budget of %s off-heap and %s of Java heap"
                .formatted(format(offHeapBytes), format(heapBytes)));
    }

    /** What this process may still allocate now. */
    public static KernelMemory ofProcess() {
        long available = Long.MAX_VALUE;
        StringBuilder description = new StringBuilder();
        long maxBytes = Pointer.maxBytes();
        if (maxBytes > 0) {
            long used = Pointer.totalBytes();
            available = Math.min(available, Math.max(0, maxBytes - used));
            append(description, "JavaCPP limit %s with %s counted".formatted(format(maxBytes), format(used)));
        }
        long maxPhysical = Pointer.maxPhysicalBytes();
        if (maxPhysical > 0) {
            long resident = Pointer.physicalBytes();
            available = Math.min(available, Math.max(0, maxPhysical - resident));
            append(description, "process limit %s with %s resident".formatted(format(maxPhysical), format(resident)));
        }
        long free = Pointer.availablePhysicalBytes();
        if (free > 0) {
            available = Math.min(available, free);
            append(description, "%s free on the machine".formatted(format(free)));
        }
        Runtime runtime = Runtime.getRuntime();
        long heap = Math.max(0, runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory()));
        append(description, "%s of Java heap free (-Xmx %s)".formatted(format(heap), format(runtime.maxMemory())));
        return new KernelMemory(available, heap, description.toString());
    }

    private static void append(StringBuilder builder, String part) {
        if (builder.length() > 0) {
            builder.append(", ");
        }
        builder.append(part);
    }

    /** Bytes in binary units with three significant digits: {@code 1.50 GiB}. */
    public static String format(double bytes) {
        if (bytes >= Long.MAX_VALUE) {
            return "unlimited";
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? "%.0f B".formatted(bytes) : String.format(Locale.ROOT, "%.3g %s", value, units[unit]);
    }
}
