package io.thetalazy.spark;

/**
 * Thrown by a task whose cell failed, so that Spark retries it ({@code spark.task.maxFailures}); the message is the
 * cell's own ({@code [invalid-file] ...}), which the driver records in failure.json once Spark gives up.
 */
public final class CellFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CellFailure(String message) {
        super(message);
    }
}
