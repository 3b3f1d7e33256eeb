package io.thetalazy.experiments.cli;

import io.thetalazy.experiments.report.OutputFolder;
import io.thetalazy.experiments.report.OutputFolder.Kind;
import io.thetalazy.experiments.report.OutputFolder.Mode;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The option every command that writes a results folder shares (a picocli mixin), and the claim of that folder. */
final class OutputOptions {
    @Option(names = "--overwrite", description = "delete what the output folder holds before writing (kernel and ntk "
            + "never write into a training run's folder)")
    boolean overwrite;

    /** Claims {@code out} for {@code kind}; without --overwrite a non-empty folder is refused or continued. */
    OutputFolder claim(Path out, Kind kind, Mode otherwise, String command) {
        OutputFolder folder = OutputFolder.claim(out, kind, overwrite ? Mode.OVERWRITE : otherwise, command);
        folder.takenOver().ifPresent(holder -> System.err.printf(
                "note: %s was left locked by %s, which is no longer running; taken over%n", out, holder));
        return folder;
    }
}
