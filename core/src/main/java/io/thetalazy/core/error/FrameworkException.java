package io.thetalazy.core.error;

import static java.util.Objects.requireNonNull;

/** The one unchecked failure type of the framework; its {@link ErrorCode} says what kind of problem it is. */
public final class FrameworkException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode errorCode;

    /** A failure of kind {@code errorCode}; the message says what is wrong and, where it can, what to do about it. */
    public FrameworkException(ErrorCode errorCode, String message) {
        super(message);
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
    }

    /** The same, keeping the exception that caused it (an I/O error, a failure of a plugin or of ND4J). */
    public FrameworkException(ErrorCode errorCode, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
    }

    /**
     * What kind of failure this is; the CLI prints it as {@code error [invalid-config]: ...} and sweeps count failed
     * cells by it.
     */
    public ErrorCode errorCode() {
        return errorCode;
    }
}
