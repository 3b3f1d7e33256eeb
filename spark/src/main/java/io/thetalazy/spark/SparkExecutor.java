package io.thetalazy.spark;

import io.thetalazy.experiments.sweep.CellExecutor;
import io.thetalazy.experiments.sweep.CellResult;
import io.thetalazy.experiments.sweep.CellTask;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Runs each cell as one Spark task: one RDD of one partition per cell, computed by a Spark job of its own that a
 * driver thread submits. A job per cell is what lets a cell fail alone: Spark retries its task ({@code
 * spark.task.maxFailures}) and then fails that job only, which the driver records in the cell's failure.json while
 * the other cells go on. (Partitions of one shared RDD would not do: Spark aborts every active job over the RDD of a
 * failed stage.) Results come back as each job ends, so cells.csv and the progress follow the cells. Tasks compute
 * in scratch folders of their executors and hand back the cell's files; the driver writes the store ({@link
 * StoreWriter}), so the store needs no file system shared with the executors.
 *
 * <p>As many cells are in flight as the cluster has task slots at the time (its default parallelism over {@code
 * spark.task.cpus}, read again as executors come and go), or {@value #IN_FLIGHT} when set: with dynamic allocation,
 * set it to the most cells the cluster may run at once, since Spark asks for executors for the tasks it sees.
 */
public final class SparkExecutor implements CellExecutor, AutoCloseable {
    /** Cells submitted at once, overriding the cluster's task slots. */
    public static final String IN_FLIGHT = "spark.thetalazy.cellsInFlight";
    /** The local property naming the cell of a job (listeners and the Spark UI see it). */
    public static final String CELL_PROPERTY = "thetalazy.cell";

    private static final String STAGE_FAILURE = "Job aborted due to stage failure: ";

    private final JavaSparkContext context;
    private final String name;
    private final boolean ownsContext;

    /**
     * @param name what provenance.json calls it ({@code spark}, {@code spark-local[2]})
     * @param ownsContext whether {@link #close} stops the context (one this executor started)
     */
    public SparkExecutor(JavaSparkContext context, String name, boolean ownsContext) {
        this.context = context;
        this.name = name;
        this.ownsContext = ownsContext;
    }

    public JavaSparkContext context() {
        return context;
    }

    @Override
    public String name() {
        return name;
    }

    /** Cells in flight now: the cluster's task slots, or {@value #IN_FLIGHT}. */
    @Override
    public int jobs() {
        int set = context.getConf().getInt(IN_FLIGHT, 0);
        if (set > 0) {
            return set;
        }
        int taskCpus = Math.max(1, context.getConf().getInt("spark.task.cpus", 1));
        return Math.max(1, context.sc().defaultParallelism() / taskCpus);
    }

    @Override
    public void execute(List<CellTask> tasks, Events events) {
        if (tasks.isEmpty()) {
            return;
        }
        String group = "thetalazy-" + UUID.randomUUID();
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "spark-cell-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        CompletionService<Void> completion = new ExecutorCompletionService<>(pool);
        boolean complete = false;
        try {
            int next = 0;
            int running = 0;
            while (next < tasks.size() || running > 0) {
                for (int slots = jobs(); next < tasks.size() && running < slots; next++, running++) {
                    CellTask task = tasks.get(next);
                    completion.submit(() -> {
                        run(task, group, events);
                        return null;
                    });
                }
                Future<Void> done = completion.poll(1, TimeUnit.SECONDS);   // slots are read again each second
                if (done != null) {
                    running--;
                    done.get();
                }
            }
            complete = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while cells ran on Spark", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            if (!complete && !context.sc().isStopped()) {
                context.cancelJobGroup(group);   // the run stops: cells in flight are lost, none is half written
            }
            pool.shutdownNow();
            awaitQuietly(pool);
        }
    }

    /** One cell's job, on a driver thread: the cell's result is written into the store as it comes back. */
    private void run(CellTask task, String group, Events events) {
        synchronized (events) {
            events.started(task);
        }
        long start = System.nanoTime();
        context.setJobGroup(group, "thetalazy cell " + task.cell().id() + " " + task.cell().axes(), true);
        context.setLocalProperty(CELL_PROPERTY, task.cell().id());
        CellResult result;
        try {
            JavaRDD<byte[]> cell = context.parallelize(List.of(Serialized.write(CellSpec.of(task))), 1)
                    .map(SparkCell::run);
            byte[] output = cell.collect().get(0);
            result = StoreWriter.finished(task, Serialized.read(output, CellOutput.class));
        } catch (Exception e) {
            Optional<String> failure = context.sc().isStopped() ? Optional.empty() : cellFailure(e);
            if (failure.isEmpty() && e instanceof SparkException) {
                String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
                throw new IllegalStateException(("Spark stopped the run (%s); the cells that finished are in the "
                        + "store: rerun to run the others").formatted(reason), e);
            }
            if (failure.isEmpty()) {
                throw e;
            }
            result = StoreWriter.failed(task, failure.get(), (System.nanoTime() - start) / 1e9);
        }
        synchronized (events) {
            events.finished(task, result);
        }
    }

    /**
     * The message of a job that failed for its cell (Spark aborted it after its retries): the cell's own message when
     * its task threw {@link CellFailure}, else Spark's reason (a lost executor, a result too large). Empty for
     * anything else (a cancelled job, a stopped context), which stops the run.
     */
    static Optional<String> cellFailure(Throwable e) {
        if (!(e instanceof SparkException) || e.getMessage() == null || !e.getMessage().startsWith(STAGE_FAILURE)) {
            return Optional.empty();
        }
        String text = e.getMessage().substring(STAGE_FAILURE.length());
        String marker = CellFailure.class.getName() + ": ";
        int at = text.indexOf(marker);
        if (at >= 0) {
            String message = text.substring(at + marker.length());
            int end = message.indexOf("\n\tat ");
            return Optional.of((end >= 0 ? message.substring(0, end) : message.lines().findFirst().orElse("")).strip());
        }
        return Optional.of("spark: " + text.lines().findFirst().orElse("").strip());
    }

    private static void awaitQuietly(ExecutorService pool) {
        try {
            pool.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the Spark context when this executor started it ({@code spark-local[N]}). */
    @Override
    public void close() {
        if (ownsContext) {
            context.stop();
        }
    }
}
