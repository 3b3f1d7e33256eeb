package io.thetalazy.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * provenance.json of an experiment folder: one entry per invocation that ran cells there (a resumed experiment has
 * several), each with {@link Provenance#json()} (version, Java, BLAS vendor, kernels, threads, CPU), the git commit
 * of the code when it is known, the OS, cores and heap, the executor and its job count, the command line, start and
 * end times and the ids of the cells it ran.
 */
public final class ExperimentProvenance {
    private ExperimentProvenance() {}

    /** The entry of an invocation that starts now. */
    public static ObjectNode start(String executor, int jobs, List<String> commandLine) {
        ObjectNode entry = Provenance.json();
        gitCommit().ifPresent(commit -> entry.put("gitCommit", commit));
        ObjectNode os = entry.putObject("os");
        os.put("name", System.getProperty("os.name"));
        os.put("version", System.getProperty("os.version"));
        os.put("arch", System.getProperty("os.arch"));
        entry.put("cores", Runtime.getRuntime().availableProcessors());
        entry.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        entry.put("executor", executor);
        entry.put("jobs", jobs);
        commandLine.forEach(entry.putArray("commandLine")::add);
        entry.put("start", Instant.now().toString());
        entry.putArray("cells");
        return entry;
    }

    /** Appends (or, for the same invocation, replaces) {@code entry} as the last of the file's entries. */
    public static void write(Path file, ObjectNode entry, boolean replaceLast) {
        ObjectNode root = Card.JSON.createObjectNode();
        ArrayNode runs = root.putArray("runs");
        if (Files.exists(file)) {
            try {
                JsonNode existing = Card.JSON.readTree(file.toFile()).path("runs");
                existing.forEach(runs::add);
            } catch (IOException e) {
                // a damaged log is replaced by the entries from now on
            }
        }
        if (replaceLast && !runs.isEmpty()) {
            runs.remove(runs.size() - 1);
        }
        runs.add(entry);
        RunFolder.writeJson(file, root);
    }

    public static void finish(ObjectNode entry, List<String> cellIds) {
        ArrayNode cells = entry.putArray("cells");
        cellIds.forEach(cells::add);
        entry.put("end", Instant.now().toString());
    }

    /** {@code git describe}-like: the commit of the working tree the code was built from, "-dirty" if changed. */
    static Optional<String> gitCommit() {
        try {
            Path code = Path.of(ExperimentProvenance.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path folder = code; folder != null; folder = folder.getParent()) {
                if (Files.exists(folder.resolve(".git"))) {
                    Optional<String> commit = git(folder, "rev-parse", "HEAD");
                    Optional<String> changes = git(folder, "status", "--porcelain", "--untracked-files=no");
                    return commit.map(c -> c + (changes.map(s -> s.isBlank() ? "" : "-dirty").orElse("")));
                }
            }
        } catch (Exception e) {
            // unknown: not built from a git working tree, or git is missing
        }
        return Optional.empty();
    }

    private static Optional<String> git(Path folder, String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", folder.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return Optional.empty();
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return process.exitValue() == 0 ? Optional.of(out) : Optional.empty();
    }
}
