package io.thetalazy.experiments.cli;

import java.nio.file.Path;

/** Small helpers shared by the commands. */
final class Commands {
    private Commands() {}

    /** The folder relative paths in a config start from: the config file's own folder. */
    static Path base(Path config) {
        Path parent = config.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }
}
