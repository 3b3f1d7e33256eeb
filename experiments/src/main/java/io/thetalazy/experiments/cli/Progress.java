package io.thetalazy.experiments.cli;

import io.thetalazy.core.train.TrainingListener;
import java.io.PrintStream;

/**
 * A progress line on stderr for long runs: redrawn in place on a terminal, printed every 10 seconds otherwise (logs).
 */
final class Progress implements TrainingListener {
    private final PrintStream out;
    private final String label;
    private final boolean terminal;
    private long last;
    private boolean drawn;

    Progress(PrintStream out, String label) {
        this.out = out;
        this.label = label;
        this.terminal = System.console() != null;
    }

    @Override
    public void onStep(long step, long maxSteps, double loss) {
        long now = System.nanoTime();
        long interval = terminal ? 200_000_000L : 10_000_000_000L;
        if (now - last < interval) {
            return;
        }
        last = now;
        int width = 30;
        int filled = (int) Math.min(width, width * step / Math.max(1, maxSteps));
        String bar = "#".repeat(filled) + ".".repeat(width - filled);
        String text = "%s [%s] step %d/%d  loss %.3e".formatted(label, bar, step, maxSteps, loss);
        if (terminal) {
            out.print("\r" + text);
            drawn = true;
        } else {
            out.println(text);
        }
        out.flush();
    }

    @Override
    public void onRestart(int restart, String reason) {
        done();
        out.println(label + ": " + reason + "; restarting with the step halved (restart " + restart + ")");
    }

    void done() {
        if (drawn) {
            out.print("\r" + " ".repeat(100) + "\r");
            out.flush();
            drawn = false;
        }
    }
}
