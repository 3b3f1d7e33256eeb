package io.thetalazy.core.error;

/** Categories of {@link FrameworkException}, so that sweeps and the CLI can count and report failures by kind. */
public enum ErrorCode {
    /**
     * An architecture, scaling rule, activation or initializer name that no module binds, or a parameter name that the
     * parameters or the network do not have.
     */
    UNKNOWN_NAME,
    /** Arrays whose shapes do not fit the network or each other. */
    SHAPE_MISMATCH,
    /** A layer that has no infinite-width kernel rule was asked for one. */
    NO_KERNEL_RULE,
    /** A configuration value out of its range or inconsistent with another. */
    INVALID_CONFIG,
    /**
     * An argument of a library call out of its range or inconsistent with another (an index, a count, a list of the
     * wrong length), or a call on an object not ready for it: a mistake in the calling code rather than in a config.
     */
    INVALID_ARGUMENT,
    /** NaN or infinity in data, parameters or a computed result. */
    NON_FINITE_VALUE,
    /** A kernel matrix that must be symmetric positive semidefinite is not, beyond round-off. */
    INVALID_KERNEL,
    /** A file that is missing, truncated or not in the expected format. */
    INVALID_FILE,
    /** A request that would need more memory than the process has. */
    INSUFFICIENT_MEMORY,
    /** The BLAS or LAPACK library computes wrong numbers on this machine (the start-up self-check failed). */
    BROKEN_BLAS,
    /** An output folder in use by another process, or holding another run or other files. */
    OUTPUT_FOLDER,
    /** An architecture plugin on the class path that cannot be loaded or wired, or no plugin at all. */
    INVALID_PLUGIN
}
