package io.thetalazy.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.thetalazy.core.layer.BlasInfo;
import io.thetalazy.core.plugin.Plugins;
import io.thetalazy.experiments.config.Experiment;
import io.thetalazy.experiments.config.ExperimentFiles;
import io.thetalazy.experiments.sweep.ExperimentRunner;
import io.thetalazy.experiments.sweep.LocalExecutor;
import io.thetalazy.experiments.sweep.ResultStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application jar under spark-submit: Spark's submit class in a child JVM with Spark's own class path, the
 * jar as the application, master local[2], a ci-size experiment. Runs after package (the integration-test phase).
 */
final class SparkSubmitTest {
    private static final String JAR = System.getProperty("thetalazy.spark.jar");
    private static final String CLASSPATH = System.getProperty("thetalazy.spark.classpath");

    @TempDir
    Path folder;

    @Test
    void theShadedJarHoldsTheCommandLineAndNoSpark() throws Exception {
        assertThat(JAR).as("the shaded jar's path (set by the failsafe configuration: run with mvn -B verify)").isNotNull();
        try (JarFile jar = new JarFile(JAR)) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo("io.thetalazy.experiments.cli.Main");
            assertThat(jar.stream().map(entry -> entry.getName()))
                    .noneMatch(name -> name.startsWith("org/apache/spark/") || name.startsWith("scala/")
                            || name.startsWith("org/slf4j/") || name.startsWith("com/fasterxml/jackson/")
                            || name.startsWith("com/google/common/") || name.startsWith("org/yaml/snakeyaml/"))
                    .contains("io/thetalazy/shaded/jackson/databind/ObjectMapper.class",
                            "io/thetalazy/spark/SparkExecutors.class", "io/thetalazy/experiments/cli/Main.class");
            String factories = new String(jar.getInputStream(jar.getEntry(
                    "META-INF/services/io.thetalazy.experiments.sweep.CellExecutors$Factory")).readAllBytes());
            assertThat(factories).contains("io.thetalazy.spark.SparkExecutors");
        }
    }

    @Test
    void anExperimentRunsUnderSparkSubmit() throws Exception {
        assertThat(JAR).as("the shaded jar's path (set by the failsafe configuration: run with mvn -B verify)").isNotNull();
        Path file = folder.resolve("ci.yaml");
        Files.writeString(file, SparkExecutorTest.TINY);
        Path out = folder.resolve("spark");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx2g"));
        // the BLAS this JVM loaded (bin/java-blas's JavaCPP options), so that both stores are computed with one library
        command.addAll(BlasInfo.jvmOptions());
        command.addAll(List.of("-cp", sparkClassPath(), "org.apache.spark.deploy.SparkSubmit", "--master", "local[2]",
                "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
                "--conf", "spark.ui.enabled=false"));
        command.addAll(List.of("--class", "io.thetalazy.experiments.cli.Main", JAR, "run", file.toString(),
                "--out", out.toString(), "--executor", "spark", "--progress", "plain"));
        Path log = folder.resolve("spark-submit.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = process.waitFor(4, TimeUnit.MINUTES);
        if (!ended) {
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log);
        assertThat(ended).as("spark-submit ends; its output:%n%s", output).isTrue();
        assertThat(process.exitValue()).as("exit code; output:%n%s", output).isZero();

        Experiment experiment = ExperimentFiles.read(file);
        Path local = folder.resolve("local");
        ExperimentRunner.run(new ResultStore(local, experiment), new LocalExecutor(Plugins.registry(), 2), folder,
                false, List.of("test"), ExperimentRunner.Listener.NONE);
        Stores.assertSame(out, local, experiment);
        assertThat(Files.readString(out.resolve(ResultStore.PROVENANCE))).contains("\"executor\" : \"spark\"");
    }

    /** Spark's jars, as a distribution's jars/ folder holds them (the files the build lists, joined). */
    private static String sparkClassPath() throws java.io.IOException {
        List<String> parts = new ArrayList<>();
        for (String list : CLASSPATH.split(java.io.File.pathSeparator)) {
            parts.add(Files.readString(Path.of(list)).strip());
        }
        return String.join(java.io.File.pathSeparator, parts);
    }
}
