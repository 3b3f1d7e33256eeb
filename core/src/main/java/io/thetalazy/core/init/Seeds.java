package io.thetalazy.core.init;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Deterministic seed derivation: every random stream (a parameter's init, a sweep cell, a Monte Carlo draw) gets its
 * own generator from the root seed and a label, so adding a layer or a cell does not shift the others.
 */
public final class Seeds {
    private Seeds() {}

    /** A seed derived from root and label (FNV-1a of the label mixed with the root by SplitMix64). */
    public static long derive(long root, String label) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : label.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b;
            hash *= 0x100000001b3L;
        }
        return mix(root ^ mix(hash));
    }

    /** A generator of its own for the stream {@code label} under the root seed ({@link #derive}). */
    public static RandomGenerator generator(long root, String label) {
        return new SplittableRandom(derive(root, label));
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
