package io.thetalazy.experiments.cli;

import com.google.inject.Injector;
import io.thetalazy.core.error.FrameworkException;
import io.thetalazy.core.layer.Numerics;
import io.thetalazy.core.plugin.Plugins;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code thetalazy} command line: one injector per process, commands built by it. */
@Command(name = "thetalazy", mixinStandardHelpOptions = true, version = "thetalazy 0.1.0",
        description = "Wide neural networks under gradient descent: kappa, the theta-lazy regime, per-layer kernels.",
        subcommands = {QuickstartCommand.class, RunCommand.class, ReportCommand.class, CellsCommand.class, TrainCommand.class, CardCommand.class, ArchitecturesCommand.class,
                KernelCommand.class, NtkCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code of bad input: a config, data or file problem the user can fix. */
    public static final int BAD_INPUT = 2;
    /** Exit code of an internal error (a bug), reported in one line. */
    public static final int INTERNAL_ERROR = 1;

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (0 success, 2 bad input, 1 unexpected failure). */
    public static int execute(String... args) {
        System.setProperty("java.awt.headless", "true");
        Injector injector;
        try {
            Numerics.useFloat64();   // the BLAS self-check: before any command computes a number
            injector = Plugins.createInjector();
        } catch (FrameworkException e) {
            System.err.println(message(e));
            return BAD_INPUT;
        }
        CommandLine commandLine = new CommandLine(Main.class, new GuiceFactory(injector));
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) ->
                report(exception, line.getErr(), System.getenv("THETALAZY_DEBUG") != null));
        try {
            return commandLine.execute(args);
        } catch (OutOfMemoryError e) {
            System.err.println("error [insufficient-memory]: the computation ran out of Java heap (" + e.getMessage()
                    + "); give the JVM more (THETALAZY_JAVA_OPTS=\"-Xmx16g ...\" bin/thetalazy ...) or use fewer "
                    + "samples, tiles (ntk --tile) or a smaller width; files already written are complete");
            return BAD_INPUT;
        }
    }

    /** "error [broken-blas]: ...": the error's code and message on one line. */
    static String message(FrameworkException e) {
        return "error [" + e.errorCode().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "]: "
                + String.valueOf(e.getMessage()).replace('\n', ' ');
    }

    /**
     * Reports a failed command in one line and returns its exit code: bad input (a {@link FrameworkException}, with
     * its code) exits 2; anything else is a bug, {@code error [internal]} with exit 1, its stack trace only when
     * {@code debug} (THETALAZY_DEBUG set).
     */
    static int report(Exception exception, java.io.PrintWriter err, boolean debug) {
        if (exception instanceof FrameworkException framework) {
            err.println(message(framework));
            return BAD_INPUT;
        }
        String message = exception.getMessage() == null ? ""
                : ": " + exception.getMessage().lines().findFirst().orElse("");
        err.println("error [internal]: " + exception.getClass().getSimpleName() + message
                + "; this is a bug: rerun with THETALAZY_DEBUG=1 for the stack trace and report it");
        if (debug) {
            exception.printStackTrace(err);
        }
        return INTERNAL_ERROR;
    }

    /** Builds commands through the injector, so they can inject the registry. */
    private record GuiceFactory(Injector injector) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            if (type.getName().startsWith("io.thetalazy.")) {
                return injector.getInstance(type);
            }
            return CommandLine.defaultFactory().create(type);
        }
    }
}
