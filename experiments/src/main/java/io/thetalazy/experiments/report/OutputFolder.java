package io.thetalazy.experiments.report;

import static io.thetalazy.core.error.ErrorCode.INVALID_CONFIG;
import static io.thetalazy.core.error.ErrorCode.INVALID_FILE;
import static io.thetalazy.core.error.ErrorCode.OUTPUT_FOLDER;
import static java.util.Objects.requireNonNull;

import io.thetalazy.core.error.FrameworkException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A results folder claimed by one command: every command that writes a folder goes through {@link #claim}. The
 * folder belongs to one run: its marker file {@value #MARKER} records what it holds ({@link Kind}) and, while a
 * command writes, who holds it (pid, host, command, start); the marker is locked with an operating-system lock for as
 * long as the command runs, so a second writer is refused, and a lock left by a killed process (the OS releases it)
 * is taken over. A folder that holds another run or files of its own is refused unless the caller asks to replace it
 * ({@link Mode#OVERWRITE}, which clears it first); a folder holding a training run is never given to kernel outputs.
 */
public final class OutputFolder implements AutoCloseable {
    /** The marker and lock file; it stays in the folder (an OS lock needs a file that is not renamed or deleted). */
    public static final String MARKER = ".thetalazy";

    /** What a folder holds. */
    public enum Kind {
        TRAIN, KERNEL, NTK, QUICKSTART, EXPERIMENT;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<Kind> parse(String text) {
            for (Kind kind : values()) {
                if (kind.label().equals(text)) {
                    return Optional.of(kind);
                }
            }
            return Optional.empty();
        }
    }

    /** How a folder that already holds something is treated. */
    public enum Mode {
        /** Only an empty (or new) folder is taken. */
        NEW,
        /** A folder of the same kind is continued as it is (a resumed run, a sweep's own folder). */
        CONTINUE,
        /** Whatever the folder holds is deleted first (never a training run for kernel outputs). */
        OVERWRITE
    }

    /** The process that holds a folder, as its marker records it. */
    public record Holder(long pid, String host, String command, String since) {
        @Override
        public String toString() {
            return "pid %d on %s (%s, since %s)".formatted(pid, host, command, since);
        }
    }

    private final Path folder;
    private final Kind kind;
    private final FileChannel channel;
    private final FileLock lock;
    private final Optional<Holder> takenOver;

    private OutputFolder(Path folder, Kind kind, FileChannel channel, FileLock lock, Optional<Holder> takenOver) {
        this.folder = folder;
        this.kind = kind;
        this.channel = channel;
        this.lock = lock;
        this.takenOver = takenOver;
    }

    /**
     * Creates (if needed), locks and checks {@code folder} for a command writing {@code kind}. Fails with
     * OUTPUT_FOLDER when another process holds it, or it holds another run or other files that {@code mode} does
     * not allow replacing; with INVALID_FILE, naming the OS reason, when it cannot be created.
     *
     * @param command what the holder is, for the messages of a second writer ({@code "thetalazy train"})
     */
    public static OutputFolder claim(Path folder, Kind kind, Mode mode, String command) {
        requireNonNull(folder, "folder is null");
        if (folder.toString().isBlank()) {
            throw new FrameworkException(INVALID_CONFIG, "the output folder is empty: give --out a folder name");
        }
        if (mode == Mode.OVERWRITE) {
            checkClearable(folder);
        }
        create(folder);
        Path marker = folder.resolve(MARKER);
        boolean markerExisted = Files.exists(marker);
        FileChannel channel;
        try {
            channel = FileChannel.open(marker, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new FrameworkException(INVALID_FILE, "cannot open %s: %s".formatted(marker, reason(e)), e);
        }
        try {
            FileLock lock = tryLock(channel);
            Map<String, String> recorded = readMarker(channel, marker);
            if (lock == null) {
                throw new FrameworkException(OUTPUT_FOLDER, "%s is in use by %s; wait for it to finish or write to "
                        .formatted(folder, holder(recorded).map(Holder::toString).orElse("another process"))
                        + "another folder");
            }
            Optional<Holder> stale = holder(recorded);
            Optional<Kind> held = recorded.containsKey("kind") ? Kind.parse(recorded.get("kind")) : Optional.empty();
            List<String> others = contents(folder);
            if (!others.isEmpty()) {
                check(folder, kind, mode, held, others);
            }
            if (mode == Mode.OVERWRITE && !others.isEmpty()) {
                clear(folder);
            }
            OutputFolder claimed = new OutputFolder(folder, kind, channel, lock, stale);
            claimed.writeMarker(new Holder(ProcessHandle.current().pid(), hostName(), command,
                    Instant.now().toString()));
            return claimed;
        } catch (RuntimeException e) {
            if (!markerExisted) {
                deleteQuietly(marker);   // a refused folder is left as it was found
            }
            closeQuietly(channel);
            throw e;
        }
    }

    public Path path() {
        return folder;
    }

    /** The holder whose lock was left behind (a killed process) and taken over by this claim, if any. */
    public Optional<Holder> takenOver() {
        return takenOver;
    }

    /** Deletes everything in the folder but the marker (a sweep redoing an interrupted cell). */
    public void clear() {
        clear(folder);
    }

    /** Releases the lock; the marker keeps the folder's kind. */
    @Override
    public void close() {
        try {
            if (channel.isOpen()) {
                writeText(channel, "kind=" + kind.label() + "\n");
                lock.release();
            }
        } catch (IOException e) {
            throw new FrameworkException(INVALID_FILE, "cannot release %s: %s".formatted(folder.resolve(MARKER),
                    reason(e)), e);
        } finally {
            closeQuietly(channel);
        }
    }

    private static void check(Path folder, Kind kind, Mode mode, Optional<Kind> held, List<String> others) {
        if (held.isPresent() && held.get() == Kind.TRAIN && kind != Kind.TRAIN) {
            throw new FrameworkException(OUTPUT_FOLDER, "%s holds a training run; write %s results to another folder "
                    .formatted(folder, kind.label()) + "(for example %s)".formatted(folder.resolve(kind.label())));
        }
        switch (mode) {
            case OVERWRITE -> checkClearable(folder);
            case CONTINUE -> {
                if (held.isEmpty() || held.get() != kind) {
                    throw refused(folder, held, others);
                }
            }
            case NEW -> throw refused(folder, held, others);
        }
    }

    private static FrameworkException refused(Path folder, Optional<Kind> held, List<String> others) {
        String what = held.map(k -> "holds a %s run".formatted(k.label()))
                .orElseGet(() -> "is not empty (%s)".formatted(sample(others)));
        return new FrameworkException(OUTPUT_FOLDER, "%s %s; a results folder belongs to one run: add --overwrite to "
                .formatted(folder, what) + "delete its contents first, or choose another --out");
    }

    private static String sample(List<String> names) {
        return names.size() <= 4 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 4)) + ", ... %d entries".formatted(names.size());
    }

    /** --overwrite never empties the working directory, one of its parents, the home folder or a root. */
    private static void checkClearable(Path folder) {
        Path target = folder.toAbsolutePath().normalize();
        Path working = Path.of("").toAbsolutePath().normalize();
        Path home = Path.of(System.getProperty("user.home")).toAbsolutePath().normalize();
        if (working.startsWith(target) || target.equals(home) || target.getParent() == null) {
            throw new FrameworkException(OUTPUT_FOLDER, "%s is the working directory, a folder above it, the home "
                    .formatted(folder) + "folder or a root: --overwrite will not empty it; choose a folder of its own");
        }
    }

    private static void create(Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (FileAlreadyExistsException e) {
            throw new FrameworkException(INVALID_FILE, "cannot create results folder %s: a file of that name exists "
                    .formatted(folder) + "and is not a folder");
        } catch (IOException e) {
            throw new FrameworkException(INVALID_FILE, "cannot create results folder %s: %s".formatted(folder,
                    reason(e)), e);
        }
    }

    /** The operating system's reason for a failed file operation, in words. */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason() + (fs.getFile() != null ? " (" + fs.getFile() + ")" : "");
        }
        if (e instanceof AccessDeniedException denied) {
            return "permission denied (" + denied.getFile() + ")";
        }
        if (e instanceof NoSuchFileException missing) {
            return "no such file or folder (" + missing.getFile() + ")";
        }
        if (e instanceof NotDirectoryException notFolder) {
            return "not a folder (" + notFolder.getFile() + ")";
        }
        if (e instanceof FileAlreadyExistsException exists) {
            return "a file of that name exists (" + exists.getFile() + ")";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static FileLock tryLock(FileChannel channel) {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;   // held by this process (another command in the same JVM)
        } catch (IOException e) {
            throw new FrameworkException(INVALID_FILE, "cannot lock %s: %s".formatted(channel, reason(e)), e);
        }
    }

    /** Entries of the folder other than the marker, sorted. */
    private static List<String> contents(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(p -> p.getFileName().toString()).filter(name -> !name.equals(MARKER)).sorted().toList();
        } catch (IOException e) {
            throw new FrameworkException(INVALID_FILE, "cannot list %s: %s".formatted(folder, reason(e)), e);
        }
    }

    private static void clear(Path folder) {
        checkClearable(folder);
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path entry : entries.filter(p -> !p.getFileName().toString().equals(MARKER)).toList()) {
                delete(entry);
            }
        } catch (IOException | UncheckedIOException e) {
            IOException cause = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
            throw new FrameworkException(INVALID_FILE, "cannot clear %s: %s".formatted(folder, reason(cause)), e);
        }
    }

    private static void delete(Path entry) throws IOException {
        if (Files.isDirectory(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> tree = Files.walk(entry)) {
                for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        } else {
            Files.delete(entry);
        }
    }

    private void writeMarker(Holder holder) {
        String text = "kind=%s\npid=%d\nhost=%s\ncommand=%s\nsince=%s\n".formatted(kind.label(), holder.pid(),
                holder.host(), holder.command(), holder.since());
        try {
            writeText(channel, text);
        } catch (IOException e) {
            throw new FrameworkException(INVALID_FILE, "cannot write %s: %s".formatted(folder.resolve(MARKER),
                    reason(e)), e);
        }
    }

    /** Rewrites the marker in place: it must stay the same file, since the lock is on it. */
    private static void writeText(FileChannel channel, String text) throws IOException {
        channel.truncate(0);
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        long position = 0;
        while (bytes.hasRemaining()) {
            position += channel.write(bytes, position);
        }
        channel.force(false);
    }

    /** The marker's key=value lines; a marker being written by its holder may read as partial, never as an error. */
    private static Map<String, String> readMarker(FileChannel channel, Path marker) {
        try {
            long size = channel.size();
            if (size > 4096) {
                throw new FrameworkException(INVALID_FILE, "%s is not a thetalazy folder marker (%d bytes); delete it "
                        .formatted(marker, size) + "if the folder is yours");
            }
            ByteBuffer bytes = ByteBuffer.allocate((int) size);
            long position = 0;
            while (bytes.hasRemaining() && channel.read(bytes, position) > 0) {
                position = bytes.position();
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (String line : new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8).split("\n")) {
                int equals = line.indexOf('=');
                if (equals > 0) {
                    values.put(line.substring(0, equals), line.substring(equals + 1));
                }
            }
            return values;
        } catch (IOException e) {
            throw new FrameworkException(INVALID_FILE, "cannot read %s: %s".formatted(marker, reason(e)), e);
        }
    }

    private static Optional<Holder> holder(Map<String, String> recorded) {
        String pid = recorded.get("pid");
        if (pid == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Holder(Long.parseLong(pid), recorded.getOrDefault("host", "?"),
                    recorded.getOrDefault("command", "?"), recorded.getOrDefault("since", "?")));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String hostName() {
        String host = System.getenv("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown host";
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the empty marker stays; it marks nothing
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
