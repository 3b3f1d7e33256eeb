package io.thetalazy.core.layer;

import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;

import io.thetalazy.core.error.FrameworkException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The shape of one sample (no batch dimension): {@code [d]} for a feature vector, {@code [C, W]} or {@code [C, H, W]}
 * for a signal or an image with C channels.
 *
 * @param dimensions the sizes, each positive; at least one (copied)
 */
public record Shape(List<Integer> dimensions) {
    /** Copies the sizes and checks that there is at least one and that each is positive. */
    public Shape {
        dimensions = List.copyOf(dimensions);
        if (dimensions.isEmpty()) {
            throw new FrameworkException(INVALID_CONFIG, "a shape needs at least one dimension");
        }
        for (int size : dimensions) {
            if (size <= 0) {
                throw new FrameworkException(INVALID_CONFIG, "shape dimensions must be positive, found " + dimensions);
            }
        }
    }

    /** The shape with these sizes: {@code Shape.of(5)}, {@code Shape.of(1, 28, 28)}. */
    public static Shape of(int... dimensions) {
        return new Shape(Arrays.stream(dimensions).boxed().toList());
    }

    /** The number of dimensions. */
    public int rank() {
        return dimensions.size();
    }

    /** The size along {@code axis}, from 0. */
    public int dimension(int axis) {
        return dimensions.get(axis);
    }

    /** Number of entries of one sample. */
    public long size() {
        long size = 1;
        for (int d : dimensions) {
            size *= d;
        }
        return size;
    }

    /** The shape of a batch of n samples: {@code [n, dims...]}. */
    public long[] batch(long n) {
        long[] shape = new long[dimensions.size() + 1];
        shape[0] = n;
        for (int i = 0; i < dimensions.size(); i++) {
            shape[i + 1] = dimensions.get(i);
        }
        return shape;
    }

    /** The sizes as ND4J takes them. */
    public long[] toLongArray() {
        return dimensions.stream().mapToLong(Integer::longValue).toArray();
    }

    @Override
    public String toString() {
        return dimensions.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
    }
}
