package io.thetalazy.experiments.cli;

import io.thetalazy.core.layer.BlasInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** The command line in a JVM of its own (what concurrent writers and kill -9 need), on the tests' class path. */
final class ChildProcess {
    private ChildProcess() {}

    /**
     * Starts {@code thetalazy args...}; its output goes to {@code log}. The child loads the BLAS this JVM loaded (the
     * JavaCPP and library-path options bin/java-blas gave it): a run continued across the two must compute with one
     * library to end bit for bit as an uninterrupted one.
     */
    static Process start(Path log, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx1g"));
        command.addAll(BlasInfo.jvmOptions());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits up to {@code seconds} for {@code condition}; false if the process ended first or time ran out. */
    static boolean await(Process process, double seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (!process.isAlive()) {
                return condition.getAsBoolean();
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** Kills the process as kill -9 does and waits for it. */
    static void kill(Process process) throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
