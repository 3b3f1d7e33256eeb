package io.thetalazy.spark;

import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.layer.Numerics;
import io.thetalazy.core.plugin.Plugins;
import io.thetalazy.core.plugin.Registry;
import io.thetalazy.core.train.TrainingListener;
import io.thetalazy.experiments.report.OutputFolder;
import io.thetalazy.experiments.report.RunFolder;
import io.thetalazy.experiments.sweep.CellResult;
import io.thetalazy.experiments.sweep.CellRun;
import io.thetalazy.experiments.sweep.CellTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;
import org.apache.spark.TaskContext;

/**
 * The executor's side of a cell: one Spark task computes it with {@link CellRun} into a scratch folder of its own,
 * hands back its files, and deletes the folder. The store is never touched here, so an attempt that is killed,
 * retried or run twice by speculation leaves nothing behind: only the driver writes cells.
 */
final class SparkCell {
    /** Where tasks compute their cells (a folder on the executor's local disk); Spark's own folder by default. */
    static final String SCRATCH = "spark.thetalazy.scratchDir";
    static final String SCRATCH_PREFIX = "thetalazy-cell-";

    private static Registry registry;

    private SparkCell() {}

    /** A task: the serialized {@link CellSpec} in, the serialized {@link CellOutput} out. */
    static byte[] run(byte[] spec) {
        return Serialized.write(run(Serialized.read(spec, CellSpec.class)));
    }

    static CellOutput run(CellSpec spec) {
        TaskContext context = TaskContext.get();
        Registry plugins;
        try {
            plugins = registry();
        } catch (FrameworkException e) {
            throw new CellFailure(message(e));   // a broken BLAS on this executor: retried, perhaps elsewhere
        }
        Path scratch = scratch();
        try {
            Path folder = scratch.resolve(spec.folderName());
            CellTask task = new CellTask(spec.cell(), folder, Path.of(spec.dataFolder()));
            CellResult result;
            // tasks share the executor's JVM: each computes on its own thread (OpenBLAS is unsafe under concurrent
            // callers), one task per core as spark.task.cpus counts them
            try (Numerics.SingleThreadedBlas blas = Numerics.singleThreadedBlas()) {
                result = CellRun.run(task, plugins, new KillCheck(context));
            }
            if (context != null) {
                context.killTaskIfInterrupted();   // a killed attempt ends as killed, not as the cell's failure
            }
            if (result.failed()) {
                throw new CellFailure(result.message());
            }
            return CellOutput.of(result, files(folder));
        } finally {
            delete(scratch);
        }
    }

    /** This JVM's plugins, built once; the numerics first (float64, the BLAS self-check). */
    private static synchronized Registry registry() {
        Numerics.useFloat64();
        if (registry == null) {
            registry = Plugins.registry();
        }
        return registry;
    }

    /** The message CellRun records for a framework error: {@code [broken-blas] ...}. */
    static String message(FrameworkException e) {
        return "[" + e.errorCode().name().toLowerCase(Locale.ROOT).replace('_', '-') + "] " + e.getMessage();
    }

    private static Path scratch() {
        SparkEnv env = SparkEnv.get();
        String root = env != null && env.conf().contains(SCRATCH) ? env.conf().get(SCRATCH)
                : env != null ? SparkFiles.getRootDirectory() : System.getProperty("java.io.tmpdir");
        try {
            Path folder = Path.of(root);
            Files.createDirectories(folder);
            return Files.createTempDirectory(folder, SCRATCH_PREFIX);
        } catch (IOException e) {
            throw new CellFailure("[invalid-file] cannot create a scratch folder in %s on this executor: %s; set %s "
                    .formatted(root, OutputFolder.reason(e), SCRATCH) + "to a writable local folder");
        }
    }

    /** The run folder's files but the folder marker, summary.json among them. */
    private static List<CellOutput.File> files(Path folder) {
        if (!Files.isRegularFile(folder.resolve(RunFolder.SUMMARY))) {
            throw new IllegalStateException("cell folder " + folder + " has no " + RunFolder.SUMMARY);
        }
        List<CellOutput.File> files = new ArrayList<>();
        try (Stream<Path> tree = Files.walk(folder)) {
            for (Path file : tree.filter(Files::isRegularFile).sorted().toList()) {
                String path = folder.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                if (!path.equals(OutputFolder.MARKER)) {
                    files.add(new CellOutput.File(path, Files.readAllBytes(file)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static void delete(Path folder) {
        try (Stream<Path> tree = Files.walk(folder)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            // scratch space under Spark's folder: removed with the executor
        }
    }

    /** Stops a killed attempt at its next step instead of computing a cell whose result Spark discards. */
    private record KillCheck(TaskContext context) implements TrainingListener {
        @Override
        public void onStep(long step, long maxSteps, double loss) {
            if (context != null) {
                context.killTaskIfInterrupted();
            }
        }
    }
}
