package io.thetalazy.kernels.empirical;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's resident memory as Linux reports it in /proc/self/status: current (VmRSS) and peak (VmHWM) bytes. ND4J
 * arrays live in native memory that the Java runtime does not count, so this is how a computation's peak memory is
 * measured: {@link #resetPeak()} before it, {@link #peakBytes()} after it.
 */
public final class ResidentMemory {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private ResidentMemory() {}

    /** Whether this system reports resident memory and lets the peak be reset (Linux). */
    public static boolean available() {
        return Files.isReadable(STATUS) && Files.isWritable(CLEAR_REFS) && currentBytes() >= 0;
    }

    /** Resident bytes now, or -1 where the system does not report them. */
    public static long currentBytes() {
        return field("VmRSS:");
    }

    /** Peak resident bytes since the start or the last {@link #resetPeak()}, or -1 where not reported. */
    public static long peakBytes() {
        return field("VmHWM:");
    }

    /** Sets the peak to the current resident size; false where the system does not allow it. */
    public static boolean resetPeak() {
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(STATUS, StandardCharsets.US_ASCII)) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;   // reported in kB
                }
            }
        } catch (IOException | NumberFormatException | SecurityException e) {
            return -1;
        }
        return -1;
    }
}
