package io.thetalazy.experiments.cli;

import io.thetalazy.experiments.config.Cell;
import io.thetalazy.experiments.config.Experiment;
import io.thetalazy.experiments.sweep.CellResult;
import io.thetalazy.experiments.sweep.ExperimentRunner;
import java.io.PrintStream;
import java.util.Locale;

/**
 * An experiment's progress on stderr: one line per finished cell and, on a terminal, a bar below them with the cells
 * done, running, failed and left and an estimate of the time left. {@code --progress plain} prints the lines only
 * (the default when stderr is not a terminal: logs stay readable), {@code none} nothing.
 */
final class ExperimentProgress implements ExperimentRunner.Listener {
    /** How progress is shown. */
    enum Style {
        AUTO, BAR, PLAIN, NONE;

        Style resolved() {
            return this == AUTO ? System.console() != null ? BAR : PLAIN : this;
        }
    }

    private final PrintStream out;
    private final Style style;
    private final Experiment experiment;
    private final int jobs;
    private final long start = System.nanoTime();
    private int toRun;
    private int running;
    private int done;
    private int failed;
    private boolean barDrawn;

    ExperimentProgress(PrintStream out, Style style, Experiment experiment, int jobs) {
        this.out = out;
        this.style = style.resolved();
        this.experiment = experiment;
        this.jobs = jobs;
    }

    @Override
    public synchronized void planned(int cells, int alreadyDone, int toRun) {
        this.toRun = toRun;
        if (style == Style.NONE) {
            return;
        }
        out.printf("%d cells: %d already in the folder, %d to run, %d at a time%n", cells, alreadyDone, toRun, jobs);
        bar();
    }

    @Override
    public synchronized void started(Cell cell) {
        running++;
        bar();
    }

    @Override
    public synchronized void finished(Cell cell, CellResult result) {
        running--;
        done++;
        if (result.failed()) {
            failed++;
        }
        if (style == Style.NONE) {
            return;
        }
        clearBar();
        out.printf("[%d/%d] %s: %s%n", done, toRun, cell.folderName(experiment.labels()), line(result));
        bar();
    }

    /** What a finished cell gives, in one line. */
    static String line(CellResult r) {
        if (r.failed()) {
            return "failed after %.1f s: %s".formatted(r.wallSeconds(), r.message());
        }
        return String.format(Locale.ROOT, "%s in %d steps, loss %.3e, RD %.3e, max RD_l %.3e (%.1f s)%s", r.status(),
                r.steps(), r.finalLoss(), r.finalRd(), r.maxLayerRd(), r.wallSeconds(),
                r.restarts() > 0 ? ", %d restart%s".formatted(r.restarts(), r.restarts() == 1 ? "" : "s") : "");
    }

    /** Removes the bar before the run's closing lines. */
    synchronized void close() {
        clearBar();
    }

    private void bar() {
        if (style != Style.BAR) {
            return;
        }
        int left = toRun - done - running;
        String eta = "";
        if (done > 0) {
            double seconds = (System.nanoTime() - start) / 1e9 / done * (toRun - done);
            eta = ", about %s left".formatted(duration(seconds));
        }
        int width = 30;
        int filled = toRun == 0 ? width : width * done / toRun;
        out.printf("\r[%s] %d done, %d running, %d failed, %d left%s  ", "#".repeat(filled) + ".".repeat(width - filled),
                done, running, failed, left, eta);
        out.flush();
        barDrawn = true;
    }

    private void clearBar() {
        if (barDrawn) {
            out.print("\r" + " ".repeat(110) + "\r");
            out.flush();
            barDrawn = false;
        }
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s < 60 ? s + " s" : s < 3600 ? "%d min %02d s".formatted(s / 60, s % 60)
                : "%d h %02d min".formatted(s / 3600, s % 3600 / 60);
    }
}
