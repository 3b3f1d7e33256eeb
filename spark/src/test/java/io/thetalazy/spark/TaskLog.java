package io.thetalazy.spark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.apache.spark.ExceptionFailure;
import org.apache.spark.TaskKilled;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import scala.jdk.javaapi.CollectionConverters;

/** What Spark did with each cell's tasks, as its listener bus tells: attempts started, failed and killed. */
class TaskLog extends SparkListener {
    /** A task of a cell started: its id and attempt number. */
    record Start(String cell, long taskId, int attempt) {}

    private final Map<Integer, String> cellOfStage = new ConcurrentHashMap<>();
    final Map<String, List<String>> ends = new ConcurrentHashMap<>();

    @Override
    public void onJobStart(SparkListenerJobStart job) {
        String cell = job.properties() == null ? null : job.properties().getProperty(SparkExecutor.CELL_PROPERTY);
        if (cell != null) {
            for (Object stage : CollectionConverters.asJava(job.stageIds())) {
                cellOfStage.put((Integer) stage, cell);
            }
        }
    }

    @Override
    public void onTaskStart(SparkListenerTaskStart task) {
        String cell = cellOfStage.get(task.stageId());
        if (cell != null) {
            started(new Start(cell, task.taskInfo().taskId(), task.taskInfo().attemptNumber()));
        }
    }

    /** Called on the listener thread as a cell's task starts. */
    void started(Start start) {}

    @Override
    public void onTaskEnd(SparkListenerTaskEnd task) {
        String cell = cellOfStage.get(task.stageId());
        if (cell != null) {
            String reason = task.reason() instanceof ExceptionFailure ? "failed"
                    : task.reason() instanceof TaskKilled ? "killed" : task.reason().toString().toLowerCase();
            ends.computeIfAbsent(cell, c -> java.util.Collections.synchronizedList(new ArrayList<>())).add(reason);
        }
    }

    List<String> ends(String cell) {
        return List.copyOf(ends.getOrDefault(cell, List.of()));
    }

    /** Waits for the listener bus (it runs behind the jobs) until {@code condition} holds, for 20 seconds at most. */
    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
