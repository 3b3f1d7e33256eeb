package io.thetalazy.experiments.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thetalazy.core.error.ErrorCode;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.experiments.report.OutputFolder.Kind;
import io.thetalazy.experiments.report.OutputFolder.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class OutputFolderTest {
    @TempDir
    Path folder;

    private static OutputFolder claim(Path path, Kind kind, Mode mode) {
        return OutputFolder.claim(path, kind, mode, "test");
    }

    @Test
    void createsANewFolderAndRecordsItsHolderWhileHeld() throws Exception {
        Path out = folder.resolve("a/b");
        try (OutputFolder claimed = claim(out, Kind.TRAIN, Mode.NEW)) {
            assertThat(Files.readString(out.resolve(OutputFolder.MARKER)))
                    .contains("kind=train", "pid=" + ProcessHandle.current().pid(), "command=test");
            assertThat(claimed.takenOver()).isEmpty();
        }
        assertThat(Files.readString(out.resolve(OutputFolder.MARKER))).isEqualTo("kind=train\n");
    }

    @Test
    void refusesASecondWriterNamingTheHolder() {
        Path out = folder.resolve("run");
        try (OutputFolder first = claim(out, Kind.TRAIN, Mode.NEW)) {
            assertThatThrownBy(() -> claim(out, Kind.TRAIN, Mode.OVERWRITE))
                    .isInstanceOf(FrameworkException.class)
                    .hasMessageContaining("is in use by pid " + ProcessHandle.current().pid())
                    .hasMessageContaining("(test, since ");
        }
        claim(out, Kind.TRAIN, Mode.CONTINUE).close();   // released: free again
    }

    @Test
    void takesOverALockLeftByADeadProcess() throws Exception {
        Path out = folder.resolve("run");
        Files.createDirectories(out);
        Files.writeString(out.resolve(OutputFolder.MARKER), "kind=train\npid=999999999\nhost=h\ncommand=thetalazy train\n"
                + "since=then\n");
        try (OutputFolder claimed = claim(out, Kind.TRAIN, Mode.CONTINUE)) {
            assertThat(claimed.takenOver()).hasValueSatisfying(holder -> assertThat(holder.pid()).isEqualTo(999999999L));
        }
    }

    @Test
    void refusesAFolderWithOtherFilesUnlessOverwriteWhichClearsIt() throws Exception {
        Path out = folder.resolve("mine");
        Files.createDirectories(out.resolve("data"));
        Files.writeString(out.resolve("x.npy"), "precious");
        assertThatThrownBy(() -> claim(out, Kind.TRAIN, Mode.NEW))
                .hasMessage("%s is not empty (data, x.npy); a results folder belongs to one run: add --overwrite to "
                        .formatted(out) + "delete its contents first, or choose another --out")
                .satisfies(e -> assertThat(((FrameworkException) e).errorCode()).isEqualTo(ErrorCode.OUTPUT_FOLDER));
        assertThatThrownBy(() -> claim(out, Kind.TRAIN, Mode.CONTINUE)).hasMessageContaining("is not empty");
        assertThat(out.resolve("x.npy")).exists();
        assertThat(out.resolve(OutputFolder.MARKER)).as("a refused folder is left as it was").doesNotExist();
        claim(out, Kind.TRAIN, Mode.OVERWRITE).close();
        try (var entries = Files.list(out)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly(OutputFolder.MARKER);
        }
    }

    @Test
    void refusesAnotherRunAndContinuesOnlyItsOwnKind() throws Exception {
        Path out = folder.resolve("sweep");
        claim(out, Kind.QUICKSTART, Mode.NEW).close();
        Files.writeString(out.resolve("runs.csv"), "q,m\n");
        claim(out, Kind.QUICKSTART, Mode.CONTINUE).close();
        assertThatThrownBy(() -> claim(out, Kind.TRAIN, Mode.CONTINUE)).hasMessageContaining("holds a quickstart run");
        assertThatThrownBy(() -> claim(out, Kind.QUICKSTART, Mode.NEW)).hasMessageContaining("holds a quickstart run");
    }

    @Test
    void kernelOutputsNeverReplaceATrainingRun() throws Exception {
        Path out = folder.resolve("run");
        claim(out, Kind.TRAIN, Mode.NEW).close();
        Files.writeString(out.resolve("summary.json"), "{}");
        for (Kind kind : new Kind[] {Kind.KERNEL, Kind.NTK}) {
            assertThatThrownBy(() -> claim(out, kind, Mode.OVERWRITE))
                    .hasMessage("%s holds a training run; write %s results to another folder (for example %s)"
                            .formatted(out, kind.label(), out.resolve(kind.label())));
        }
        assertThat(out.resolve("summary.json")).exists();
    }

    @Test
    void rejectsAnEmptyNameAndNamesTheReasonAFolderCannotBeCreated() throws Exception {
        assertThatThrownBy(() -> claim(Path.of(""), Kind.TRAIN, Mode.NEW))
                .hasMessage("the output folder is empty: give --out a folder name");
        Path file = folder.resolve("file");
        Files.writeString(file, "");
        assertThatThrownBy(() -> claim(file, Kind.TRAIN, Mode.NEW))
                .hasMessageContaining("a file of that name exists and is not a folder");
        assertThatThrownBy(() -> claim(file.resolve("below"), Kind.TRAIN, Mode.NEW))
                .hasMessageStartingWith("cannot create results folder " + file.resolve("below") + ": ")
                .hasMessageContaining("Not a directory");
    }

    @Test
    void overwriteNeverEmptiesTheWorkingDirectoryOrItsParents() throws Exception {
        Path working = Path.of("").toAbsolutePath();
        assertThatThrownBy(() -> claim(working.getParent(), Kind.TRAIN, Mode.OVERWRITE))
                .hasMessageContaining("--overwrite will not empty it");
        assertThat(working.getParent().resolve(OutputFolder.MARKER)).doesNotExist();
    }
}
