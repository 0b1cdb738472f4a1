package crumbhub.client.cli;

import crumbhub.client.files.Transfers;

/**
 * A transfer's progress on one stderr line ({@code upload report.pdf 42% 12.3 MB/s}), redrawn at
 * most ten times a second, and only when the command runs on a terminal (the process's console,
 * as for password prompts): scripts, pipes and tests get nothing.
 */
final class ProgressLine implements Transfers.Progress {
    private final Context ctx;
    private final String what;
    private final boolean shown;
    private final long start;
    private long last;

    private ProgressLine(Context ctx, String what, boolean shown) {
        this.ctx = ctx;
        this.what = what;
        this.shown = shown;
        this.start = System.nanoTime();
    }

    static ProgressLine of(Context ctx, String what) {
        var console = System.console();
        return new ProgressLine(ctx, crumbhub.client.format.MessageFormat.terminalSafe(what),
                console != null && console.isTerminal() && ctx.io.terminal() != SecretPrompt.NONE);
    }

    @Override
    public void at(long done, long total) {
        long now = System.nanoTime();
        if (!shown || now - last < 100_000_000L && done < total) {
            return;
        }
        last = now;
        double seconds = Math.max(1e-3, (now - start) / 1e9);
        ctx.io.err().printf("\r%s %3d%% %.1f MB/s ", what, total == 0 ? 100 : done * 100 / total, done / seconds / 1e6);
        ctx.io.err().flush();
    }

    void done() {
        if (shown) {
            ctx.io.err().println();
        }
    }
}
