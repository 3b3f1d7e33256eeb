package io.thetalazy.core.error;

import static java.util.Objects.requireNonNull;

/** The one unchecked failure type of the framework; its {@link ErrorCode} says what kind of problem it is. */
public final class FrameworkException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode errorCode;

    public FrameworkException(ErrorCode errorCode, String message) {
        super(message);
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
    }

    public FrameworkException(ErrorCode errorCode, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
    }

    public ErrorCode errorCode() {
        return errorCode;
    }
}
