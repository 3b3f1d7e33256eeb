package io.thetalazy.experiments.sweep;

import io.thetalazy.core.kernel.KernelMemory;
import io.thetalazy.core.layer.Numerics;
import io.thetalazy.core.plugin.Registry;
import io.thetalazy.core.train.TrainingListener;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs cells on a pool of worker threads in this process, {@code jobs} at a time, in the order given; with more than
 * one job, BLAS runs single-threaded in each ({@link Numerics#singleThreadedBlas}).
 */
public final class LocalExecutor implements CellExecutor {
    private final Registry registry;
    private final int jobs;

    public LocalExecutor(Registry registry, int jobs) {
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be at least 1, found " + jobs);
        }
        this.registry = registry;
        this.jobs = jobs;
    }

    /**
     * As many jobs as the machine has cores, fewer when the memory ND4J's arrays may take (off the Java heap:
     * {@link KernelMemory#ofProcess()}) cannot hold that many cells of this size with room to spare (a cell takes
     * about {@code bytesPerCell}), never more than there are cells.
     */
    public static int defaultJobs(int cells, long bytesPerCell) {
        long memory = KernelMemory.ofProcess().offHeapBytes();
        long byMemory = Math.max(1, memory / 2 / Math.max(1, bytesPerCell));
        return (int) Math.max(1, Math.min(Math.min(Runtime.getRuntime().availableProcessors(), byMemory), cells));
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public int jobs() {
        return jobs;
    }

    @Override
    public void execute(List<CellTask> tasks, Events events) {
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, "cell-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        ExecutorService pool = Executors.newFixedThreadPool(jobs, factory);
        // several cells at once: each computes on its own thread (OpenBLAS is not safe under concurrent callers)
        Numerics.SingleThreadedBlas blas = jobs > 1 ? Numerics.singleThreadedBlas() : null;
        try {
            List<Future<?>> futures = tasks.stream().<Future<?>>map(task -> pool.submit(() -> {
                synchronized (events) {
                    events.started(task);
                }
                CellResult result = CellRun.run(task, registry, TrainingListener.NONE);
                synchronized (events) {
                    events.finished(task, result);
                }
            })).toList();
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while cells ran", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
            if (blas != null) {
                awaitTermination(pool);
                blas.close();
            }
        }
    }

    private static void awaitTermination(ExecutorService pool) {
        try {
            pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
