package crumbhub.bench;

import java.time.Duration;

/**
 * The server's side of a step's cost: CPU time and RSS read from {@code /proc} around the step
 * when {@code --server-pid} is given; a meter without a pid measures nothing. Orchestrating
 * thread only.
 */
final class ServerMeter {
    /** CPU and RSS over one measurement; both samples null when nothing is measured. */
    record Span(ProcSampler.Sample start, ProcSampler.Sample end) {
        static final Span NONE = new Span(null, null);

        /** Server CPU microseconds per event, or null without a pid or events. */
        Double cpuUsPer(long events) {
            if (start == null || events <= 0) {
                return null;
            }
            return end.cpuNanosSince(start) / 1000.0 / events;
        }

        /** Server CPU seconds over the span, or null without a pid. */
        Double cpuSeconds() {
            return start == null ? null : end.cpuNanosSince(start) / 1e9;
        }

        /** RSS at the end, or -1 without a pid. */
        long rssKb() {
            return end == null ? -1 : end.rssKb();
        }
    }

    /** The window {@link #awaitQuiet} judges the server's CPU and RSS over. */
    static final Duration QUIET_WINDOW = Duration.ofMillis(250);

    private final ProcSampler sampler;
    private ProcSampler.Sample start;

    ServerMeter(long pid) {
        this.sampler = pid > 0 ? new ProcSampler(pid) : null;
    }

    boolean enabled() {
        return sampler != null;
    }

    /**
     * Waits until the server is quiet (over {@link #QUIET_WINDOW} under 5 % of a core and its
     * RSS changed by under 1 %), at most {@code max}: a server that just opened its port may
     * still be starting (loading its state, filling its young generation the first time), which
     * is not the cost of what the bench does next. Returns at once without a pid.
     */
    void awaitQuiet(Duration max) throws BenchException {
        if (sampler == null) {
            return;
        }
        long deadline = System.nanoTime() + max.toNanos();
        ProcSampler.Sample last = sampler.sample();
        while (System.nanoTime() < deadline) {
            LoadContext.sleep(QUIET_WINDOW);
            ProcSampler.Sample now = sampler.sample();
            boolean idle = now.cpuNanosSince(last) < QUIET_WINDOW.toNanos() / 20;
            boolean stable = Math.abs(now.rssKb() - last.rssKb()) * 100 < Math.max(1, last.rssKb());
            if (idle && stable) {
                return;
            }
            last = now;
        }
    }

    /** The server's open file descriptors now, or -1 without a pid. */
    long openFiles() throws BenchException {
        return sampler == null ? -1 : sampler.openFiles();
    }

    /** The server's threads now, or -1 without a pid. */
    long threads() throws BenchException {
        return sampler == null ? -1 : sampler.threads();
    }

    /** Begins a measurement (checks the process is there). */
    void start() throws BenchException {
        start = sampler == null ? null : sampler.sample();
    }

    /** Ends the measurement begun by {@link #start()}. */
    Span stop() throws BenchException {
        if (sampler == null) {
            return Span.NONE;
        }
        return new Span(start, sampler.sample());
    }
}
