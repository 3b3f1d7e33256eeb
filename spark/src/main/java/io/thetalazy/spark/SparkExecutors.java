package io.thetalazy.spark;

import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.experiments.sweep.CellExecutor;
import io.thetalazy.experiments.sweep.CellExecutors;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The Spark executors: {@code spark} runs on the cluster of the {@code spark-submit} that started this process (its
 * master, its settings); {@code spark-local[N]} starts Spark embedded on this machine with N task threads, and {@code
 * spark-local[N,F]} with F attempts per cell ({@code spark.task.maxFailures}, 4 when unset: unlike Spark's own
 * {@code local[N]}, cells are retried as on a cluster).
 */
public final class SparkExecutors implements CellExecutors.Factory {
    public static final String SPARK = "spark";
    private static final String STARTED_BY = "spark.thetalazy.startedBy";
    private static final Pattern LOCAL = Pattern.compile("spark-local\\[(\\d+|\\*)(?:,(\\d+))?]");

    @Override
    public boolean accepts(String name) {
        return name.equals(SPARK) || name.startsWith("spark-local");
    }

    @Override
    public String names() {
        return "spark, spark-local[N]";
    }

    @Override
    public CellExecutor create(String name, int jobs) {
        SparkConf conf = new SparkConf();   // spark-submit's settings, and any -Dspark.* of this JVM
        conf.setIfMissing("spark.app.name", "thetalazy");
        if (name.equals(SPARK)) {
            if (!conf.contains("spark.master")) {
                throw new FrameworkException(INVALID_CONFIG, "--executor spark runs inside spark-submit, and no Spark "
                        + "master is set: submit thetalazy-spark.jar with spark-submit --master ..., or run here with "
                        + "--executor spark-local[N]");
            }
            return start(conf, name);
        }
        Matcher local = LOCAL.matcher(name);
        if (!local.matches() || local.group(1).equals("0") || "0".equals(local.group(2))) {
            throw new FrameworkException(INVALID_CONFIG, ("unknown executor '%s': Spark on this machine is "
                    + "spark-local[N] (N task threads, or * for one per core) or spark-local[N,F] (F attempts per "
                    + "cell)").formatted(name));
        }
        int attempts = local.group(2) != null ? Integer.parseInt(local.group(2))
                : conf.getInt("spark.task.maxFailures", 4);
        conf.setMaster("local[%s,%d]".formatted(local.group(1), attempts));
        // embedded: the driver is its own executor, nothing needs to reach it from another machine
        conf.setIfMissing("spark.driver.host", "127.0.0.1");
        conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        conf.setIfMissing("spark.ui.enabled", "false");
        return start(conf, name);
    }

    /** The process's Spark context, started with {@code conf} unless one runs already (then it is not ours to stop). */
    private static SparkExecutor start(SparkConf conf, String name) {
        String token = UUID.randomUUID().toString();
        conf.set(STARTED_BY, token);
        SparkContext context = SparkContext.getOrCreate(conf);
        boolean ours = context.getConf().get(STARTED_BY, "").equals(token);
        return new SparkExecutor(JavaSparkContext.fromSparkContext(context), name, ours);
    }
}
