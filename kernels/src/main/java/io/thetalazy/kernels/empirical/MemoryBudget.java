package io.thetalazy.kernels.empirical;

import static io.thetalazy.core.error.ErrorCode.INSUFFICIENT_MEMORY;
import static io.thetalazy.core.error.ErrorCode.INVALID_ARGUMENT;
import static java.util.Objects.requireNonNull;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.kernel.KernelMemory;

/**
 * How many bytes a kernel computation may still allocate, with a description of where the limit comes from. ND4J
 * arrays live off the Java heap: {@link #ofProcess()} takes the off-heap headroom of {@link KernelMemory#ofProcess()}
 * (the process's resident size against {@code org.bytedeco.javacpp.maxphysicalbytes}, the machine's free memory and
 * JavaCPP's {@code maxbytes}).
 *
 * @param availableBytes bytes that may still be allocated; non-negative
 * @param description where the number comes from, for error messages
 */
public record MemoryBudget(long availableBytes, String description) {
    /** Checks that the bytes are non-negative. */
    public MemoryBudget {
        requireNonNull(description, "description is null");
        if (availableBytes < 0) {
            throw new FrameworkException(INVALID_ARGUMENT,
                    "available bytes must be non-negative, found " + availableBytes);
        }
    }

    /** A fixed budget (tests, or a sweep that shares the process's memory between workers). */
    public static MemoryBudget of(long bytes) {
        return new MemoryBudget(bytes, "a fixed budget of " + format(bytes));
    }

    /** What this process may allocate now: the off-heap part of {@link KernelMemory#ofProcess()}. */
    public static MemoryBudget ofProcess() {
        KernelMemory memory = KernelMemory.ofProcess();
        return new MemoryBudget(memory.offHeapBytes(), memory.description());
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
        return KernelMemory.format(bytes);
    }

    /** a * b * c ... with saturation at Long.MAX_VALUE (estimates for absurd requests must not overflow). */
    public static long product(long... factors) {
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
    public static long sum(long... terms) {
        long result = 0;
        for (long term : terms) {
            result = result > Long.MAX_VALUE - term ? Long.MAX_VALUE : result + term;
        }
        return result;
    }
}
