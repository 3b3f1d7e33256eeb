package io.thetalazy.experiments.sweep;

import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.plugin.Registry;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The executors a run can use, by name: {@code local} is built in; others (the spark module's {@code spark} and
 * {@code spark-local[N]}) come from the class path as {@link Factory} services, so the command line stays free of
 * their dependencies.
 */
public final class CellExecutors {
    public static final String LOCAL = "local";

    private CellExecutors() {}

    /** Makes the executors of one family; registered in {@code META-INF/services}. */
    public interface Factory {
        /** Whether {@code name} is one of this factory's executors. */
        boolean accepts(String name);

        /** The names it accepts, for messages ({@code spark, spark-local[N]}). */
        String names();

        /**
         * The executor called {@code name}, running {@code jobs} cells at once where that is the executor's choice
         * (a cluster decides its own parallelism).
         */
        CellExecutor create(String name, int jobs);
    }

    /** The executor called {@code name}; an unknown name is an error listing the executors there are. */
    public static CellExecutor create(String name, Registry registry, int jobs) {
        if (name.equals(LOCAL)) {
            return new LocalExecutor(registry, jobs);
        }
        List<String> known = new ArrayList<>(List.of(LOCAL));
        for (Factory factory : ServiceLoader.load(Factory.class, CellExecutors.class.getClassLoader())) {
            if (factory.accepts(name)) {
                return factory.create(name, jobs);
            }
            known.add(factory.names());
        }
        throw new FrameworkException(INVALID_CONFIG, "unknown executor '%s'; executors here: %s%s".formatted(name,
                String.join(", ", known), known.size() == 1
                        ? " (the spark executors come with the thetalazy-spark jar: run it under spark-submit)" : ""));
    }
}
