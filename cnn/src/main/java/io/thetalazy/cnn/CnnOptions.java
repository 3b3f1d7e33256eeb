package io.thetalazy.cnn;

import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableSortedSet;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.param.NamedParameters;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The cnn architecture's own knobs, read from {@code NetworkSpec.options()}. Whether convolutions are 1-d or 2-d
 * follows from the input shape ([C, W] or [C, H, W]), not from an option.
 *
 * @param kernelSize k: filters are k (1-d) or k x k (2-d); default 3
 * @param stride the step of every convolution along each spatial axis; default 1
 * @param padding {@code same} (default) or {@code valid}
 * @param readout {@code flatten} (default) or {@code global-average}
 */
public record CnnOptions(int kernelSize, int stride, Padding padding, Readout readout) {
    public static final String KERNEL_SIZE = "kernelSize";
    public static final String STRIDE = "stride";
    public static final String PADDING = "padding";
    public static final String READOUT = "readout";
    /** The option names, sorted. */
    public static final Set<String> NAMES = ImmutableSortedSet.of(KERNEL_SIZE, STRIDE, PADDING, READOUT);

    public CnnOptions {
        requireNonNull(padding, "padding is null");
        requireNonNull(readout, "readout is null");
        if (kernelSize < 1) {
            throw new FrameworkException(INVALID_CONFIG,
                    "cnn option kernelSize must be at least 1, found " + kernelSize);
        }
        if (stride < 1) {
            throw new FrameworkException(INVALID_CONFIG, "cnn option stride must be at least 1, found " + stride);
        }
    }

    public static CnnOptions defaults() {
        return new CnnOptions(3, 1, Padding.SAME, Readout.FLATTEN);
    }

    /** Reads the options of a spec; unknown keys are errors naming the closest valid key. */
    public static CnnOptions from(Map<String, Object> options) {
        NamedParameters parameters = new NamedParameters("cnn", options).requireKeys(NAMES);
        CnnOptions defaults = defaults();
        return new CnnOptions(integer(parameters, KERNEL_SIZE, defaults.kernelSize()),
                integer(parameters, STRIDE, defaults.stride()),
                Padding.parse(parameters.text(PADDING, defaults.padding().label())),
                Readout.parse(parameters.text(READOUT, defaults.readout().label())));
    }

    /** The options as a spec's option map (labels for the enums), in a fixed order. */
    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(KERNEL_SIZE, kernelSize);
        map.put(STRIDE, stride);
        map.put(PADDING, padding.label());
        map.put(READOUT, readout.label());
        return map;
    }

    public CnnOptions withKernelSize(int newKernelSize) {
        return new CnnOptions(newKernelSize, stride, padding, readout);
    }

    public CnnOptions withStride(int newStride) {
        return new CnnOptions(kernelSize, newStride, padding, readout);
    }

    public CnnOptions withPadding(Padding newPadding) {
        return new CnnOptions(kernelSize, stride, newPadding, readout);
    }

    public CnnOptions withReadout(Readout newReadout) {
        return new CnnOptions(kernelSize, stride, padding, newReadout);
    }

    private static int integer(NamedParameters parameters, String key, int defaultValue) {
        double value = parameters.number(key, defaultValue);
        if (value != Math.rint(value) || Math.abs(value) > Integer.MAX_VALUE) {
            throw new FrameworkException(INVALID_CONFIG, "cnn option %s must be an integer, found %s".formatted(key,
                    parameters.values().get(key)));
        }
        return (int) value;
    }
}
