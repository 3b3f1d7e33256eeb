package io.thetalazy.kernels.empirical;

import static io.thetalazy.core.error.ErrorCode.INSUFFICIENT_MEMORY;
import static java.util.Objects.requireNonNull;

import io.thetalazy.core.error.FrameworkException;
import java.util.Locale;
import org.bytedeco.javacpp.Pointer;

/**
 * How many bytes a kernel computation may still allocate, with a description of where the limit comes from. ND4J
 * arrays live off the Java heap, in memory that JavaCPP counts and caps: {@link #ofProcess()} takes the least of the
 * JavaCPP off-heap headroom ({@code org.bytedeco.javacpp.maxbytes}, which defaults to the heap limit -Xmx), the process
 * headroom ({@code maxphysicalbytes} against the resident size) and the machine's free physical memory.
 *
 * @param availableBytes bytes that may still be allocated; non-negative
 * @param description where the number comes from, for error messages
 */
public record MemoryBudget(long availableBytes, String description) {
    public MemoryBudget {
        requireNonNull(description, "description is null");
        if (availableBytes < 0) {
            throw new IllegalArgumentException("available bytes must be non-negative, found " + availableBytes);
        }
    }

    /** A fixed budget (tests, or a sweep that shares the process's memory between workers). */
    public static MemoryBudget of(long bytes) {
        return new MemoryBudget(bytes, "a fixed budget of " + format(bytes));
    }

    /** What this process may allocate now, measured through JavaCPP and the Java runtime. */
    public static MemoryBudget ofProcess() {
        long available = Long.MAX_VALUE;
        StringBuilder description = new StringBuilder();
        long maxBytes = Pointer.maxBytes();
        if (maxBytes > 0) {
            long used = Pointer.totalBytes();
            available = Math.min(available, Math.max(0, maxBytes - used));
            description.append("JavaCPP off-heap limit %s with %s in use".formatted(format(maxBytes), format(used)));
        }
        long maxPhysical = Pointer.maxPhysicalBytes();
        long physical = Pointer.physicalBytes();
        if (maxPhysical > 0) {
            available = Math.min(available, Math.max(0, maxPhysical - physical));
            append(description, "process limit %s with %s resident".formatted(format(maxPhysical), format(physical)));
        }
        long free = Pointer.availablePhysicalBytes();
        if (free > 0) {
            available = Math.min(available, free);
            append(description, "%s free on the machine".formatted(format(free)));
        }
        append(description, "Java heap limit %s".formatted(format(Runtime.getRuntime().maxMemory())));
        return new MemoryBudget(available == Long.MAX_VALUE ? Long.MAX_VALUE : available, description.toString());
    }

    private static void append(StringBuilder builder, String part) {
        if (builder.length() > 0) {
            builder.append(", ");
        }
        builder.append(part);
    }

    /** Whether {@code bytes} fit. */
    public boolean fits(long bytes) {
        return bytes <= availableBytes;
    }

    /**
     * Fails with INSUFFICIENT_MEMORY when {@code bytes} do not fit: the message says what needs the memory, how much,
     * how much there is and what to do.
     */
    public void require(long bytes, String what, String advice) {
        if (!fits(bytes)) {
            throw new FrameworkException(INSUFFICIENT_MEMORY, "%s need about %s, but only %s is available (%s); %s"
                    .formatted(what, format(bytes), format(availableBytes), description, advice));
        }
    }

    /** Bytes in binary units with three significant digits: {@code 1.50 GiB}. */
    public static String format(long bytes) {
        if (bytes == Long.MAX_VALUE) {
            return "unlimited";
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.3g %s", value, units[unit]);
    }

    /** a * b * c ... with saturation at Long.MAX_VALUE (estimates for absurd requests must not overflow). */
    static long product(long... factors) {
        long result = 1;
        for (long factor : factors) {
            if (factor != 0 && result > Long.MAX_VALUE / factor) {
                return Long.MAX_VALUE;
            }
            result *= factor;
        }
        return result;
    }

    /** a + b with saturation. */
    static long sum(long... terms) {
        long result = 0;
        for (long term : terms) {
            result = result > Long.MAX_VALUE - term ? Long.MAX_VALUE : result + term;
        }
        return result;
    }
}
