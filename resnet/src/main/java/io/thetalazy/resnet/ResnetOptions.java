package io.thetalazy.resnet;

import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableSortedSet;
import io.thetalazy.cnn.Readout;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.param.NamedParameters;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The resnet architecture's own knobs, read from {@code NetworkSpec.options()}.
 *
 * <p>{@code depth} keeps its meaning (docs/formats.md#conventions): L, the number of trainable layers before the
 * readout (the hidden layers). A resnet of B blocks has the embedding and two layers per block, so L = 2 B + 1 and the
 * network has L + 1 = 2 B + 2 trainable layers with the readout. {@code blocks} defaults to (depth - 1) / 2; when
 * given, depth must be 2 blocks + 1.
 *
 * @param blocks B, at least 1
 * @param branch {@code dense} (default) or {@code conv}
 * @param tau the branch multiplier: {@code 1} (default), {@code 1/sqrt(B)}, {@code 1/B} or a number
 * @param kernelSize k of the convolutions (conv branches only); default 3
 * @param readout {@code flatten} (default) or {@code global-average} (conv branches only)
 */
public record ResnetOptions(int blocks, Branch branch, BranchMultiplier tau, int kernelSize, Readout readout) {
    public static final String BLOCKS = "blocks";
    public static final String BRANCH = "branch";
    public static final String TAU = "tau";
    public static final String KERNEL_SIZE = "kernelSize";
    public static final String READOUT = "readout";
    /** The option names, sorted. */
    public static final Set<String> NAMES = ImmutableSortedSet.of(BLOCKS, BRANCH, TAU, KERNEL_SIZE, READOUT);

    public ResnetOptions {
        requireNonNull(branch, "branch is null");
        requireNonNull(tau, "tau is null");
        requireNonNull(readout, "readout is null");
        if (blocks < 1) {
            throw new FrameworkException(INVALID_CONFIG, "resnet option blocks must be at least 1, found " + blocks);
        }
        if (kernelSize < 1) {
            throw new FrameworkException(INVALID_CONFIG,
                    "resnet option kernelSize must be at least 1, found " + kernelSize);
        }
    }

    /** The depth L of a network of this many blocks: the embedding and two layers per block. */
    public static int depth(int blocks) {
        return 2 * blocks + 1;
    }

    /** tau as a number for this network's B. */
    public double tauValue() {
        return tau.value(blocks);
    }

    /**
     * Reads the options of a spec of the given depth; unknown keys are errors naming the closest valid key, and so are
     * conv-only options with a dense branch and a depth that is not 2 blocks + 1.
     */
    public static ResnetOptions from(Map<String, Object> options, int depth) {
        NamedParameters parameters = new NamedParameters("resnet", options).requireKeys(NAMES);
        Branch branch = Branch.parse(parameters.text(BRANCH, Branch.DENSE.label()));
        if (branch == Branch.DENSE) {
            for (String convOnly : new String[] {KERNEL_SIZE, READOUT}) {
                if (options.containsKey(convOnly)) {
                    throw new FrameworkException(INVALID_CONFIG, ("resnet option %s applies to conv branches only; "
                            + "set branch: conv or remove it").formatted(convOnly));
                }
            }
        }
        int blocks;
        if (options.containsKey(BLOCKS)) {
            blocks = integer(parameters, BLOCKS, 1);
            if (depth != depth(blocks)) {
                throw new FrameworkException(INVALID_CONFIG, ("resnet depth counts the trainable layers before the "
                        + "readout, the embedding and two per block: %d blocks need depth %d, found depth %d")
                        .formatted(blocks, depth(blocks), depth));
            }
        } else {
            if (depth < 3 || depth % 2 == 0) {
                throw new FrameworkException(INVALID_CONFIG, ("resnet depth counts the trainable layers before the "
                        + "readout, the embedding and two per block, so it is 2 blocks + 1 (3, 5, 7, ...); found %d")
                        .formatted(depth));
            }
            blocks = (depth - 1) / 2;
        }
        Object tau = options.get(TAU);
        return new ResnetOptions(blocks, branch, tau == null ? BranchMultiplier.ONE : new BranchMultiplier(tau.toString()),
                integer(parameters, KERNEL_SIZE, 3), Readout.parse(parameters.text(READOUT, Readout.FLATTEN.label())));
    }

    /** The options as a spec's option map, in a fixed order (conv-only options only for conv branches). */
    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(BLOCKS, blocks);
        map.put(BRANCH, branch.label());
        map.put(TAU, tau.label());
        if (branch == Branch.CONV) {
            map.put(KERNEL_SIZE, kernelSize);
            map.put(READOUT, readout.label());
        }
        return map;
    }

    private static int integer(NamedParameters parameters, String key, int defaultValue) {
        double value = parameters.number(key, defaultValue);
        if (value != Math.rint(value) || Math.abs(value) > Integer.MAX_VALUE) {
            throw new FrameworkException(INVALID_CONFIG, "resnet option %s must be an integer, found %s".formatted(key,
                    parameters.values().get(key)));
        }
        return (int) value;
    }
}
