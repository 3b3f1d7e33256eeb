package io.thetalazy.experiments.cli;

import java.nio.file.Path;

/** Small helpers shared by the commands. */
final class Commands {
    private Commands() {}

    /** The config with {@code data.dir} set (data sets read from a folder, such as fashion-mnist). */
    static io.thetalazy.experiments.config.RunConfig withDataDirectory(io.thetalazy.experiments.config.RunConfig run,
            Path directory) {
        if (directory == null) {
            return run;
        }
        java.util.Map<String, Object> parameters = new java.util.LinkedHashMap<>(run.data().parameters());
        parameters.put("dir", directory.toAbsolutePath().toString());
        return run.withData(new io.thetalazy.experiments.config.Named(run.data().name(), parameters));
    }

    /** The folder relative paths in a config start from: the config file's own folder. */
    static Path base(Path config) {
        Path parent = config.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }
}
