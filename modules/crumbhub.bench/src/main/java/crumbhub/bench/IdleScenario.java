package crumbhub.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * {@code idle}: N authenticated connections that send nothing, held for {@code --duration}. With
 * {@code --server-pid} it reports the server's RSS growth per connection (over all of them, and
 * over the second half alone: the cost of one more connection once the server has grown to
 * hold many) and its CPU while they idle. At the end every connection sends one protocol PING at the same moment; their round
 * trips are the step's latencies, and a connection that died or did not answer counts as lost.
 */
final class IdleScenario {
    /**
     * Pause after each half has connected before RSS is read: set-up memory a server frees late
     * (a JVM gives freed native memory back once a second with the launcher's options) is not
     * counted as the connections'.
     */
    static final Duration SETTLE = Duration.ofSeconds(2);

    /** At most this long for a server that has just been started to become quiet before RSS is first read. */
    static final Duration STARTUP_WAIT = Duration.ofSeconds(10);

    private final LoadContext ctx;
    private final BenchOptions options;
    private final Fleet fleet;
    private final ServerMeter meter;

    IdleScenario(LoadContext ctx, Fleet fleet, ServerMeter meter) {
        this.ctx = ctx;
        this.options = ctx.options();
        this.fleet = fleet;
        this.meter = meter;
    }

    List<StepResult> run(Report report) throws BenchException {
        int n = options.clients();
        int half = n / 2;
        // two halves, RSS read after each: the first half also pays for what a server grows by once
        // (a JVM's young generation and compiled code, an IRC daemon's first table sizes); the
        // second half's growth is the cost of one more connection at this scale
        meter.awaitQuiet(STARTUP_WAIT);
        meter.start();
        long t0 = System.nanoTime();
        ctx.note("connecting " + n + " idle clients to " + options.target().label() + " at "
                + BenchArgs.format(options.server()) + " in two halves");
        var clients = new ArrayList<LoadClient>(n);
        clients.addAll(fleet.connect(0, half));
        double firstSeconds = (System.nanoTime() - t0) / 1e9;
        LoadContext.sleep(SETTLE);
        ServerMeter.Span firstHalf = meter.stop();
        meter.start();
        long t1 = System.nanoTime();
        clients.addAll(fleet.connect(half, n - half));
        double connectSeconds = firstSeconds + (System.nanoTime() - t1) / 1e9;
        LoadContext.sleep(SETTLE);
        ServerMeter.Span secondHalf = meter.stop();

        meter.start();
        long holdStart = System.nanoTime();
        LoadContext.sleep(options.duration());
        double held = (System.nanoTime() - holdStart) / 1e9;
        ServerMeter.Span holding = meter.stop();

        ctx.onEachLoop((loop, s) -> {
            s.begin(ctx.runId(), 1, LoopStats.Measure.PING);
            return null;
        });
        meter.start();
        long pingStart = System.nanoTime();
        long open = ctx.onEachLoop((loop, s) -> {
            long pinged = 0;
            for (LoadClient c : clients) {
                if (c.loop() == loop && c.ping()) {
                    pinged++;
                }
            }
            return pinged;
        }).stream().mapToLong(Long::longValue).sum();
        long deadline = System.nanoTime() + Math.max(options.drain().toNanos(), Duration.ofSeconds(1).toNanos());
        LoopStats.Tally t = ctx.tally();
        while (t.pongs() < open && System.nanoTime() < deadline) {
            LoadContext.sleep(Duration.ofMillis(10));
            t = ctx.tally();
        }
        double pingSeconds = Math.max(1e-9, ((t.lastNanos() == Long.MIN_VALUE ? System.nanoTime() : t.lastNanos())
                - pingStart) / 1e9);
        ServerMeter.Span pinging = meter.stop();

        var extras = new LinkedHashMap<String, Object>();
        extras.put("connections", n);
        extras.put("closed_while_idle", n - open);
        extras.put("connect_s", connectSeconds);
        extras.put("connects_per_s", n / connectSeconds);
        if (meter.enabled()) {
            extras.put("rss_per_connection_bytes", (secondHalf.end().rssKb() - firstHalf.start().rssKb()) * 1024.0 / n);
            extras.put("rss_per_added_connection_bytes",
                    (secondHalf.end().rssKb() - secondHalf.start().rssKb()) * 1024.0 / (n - half));
            extras.put("server_cpu_pct_idle", holding.cpuSeconds() / held * 100);
        }
        Histogram h = t.latency();
        StepResult r = new StepResult(options.target().label(), options.scenario().label(), 1, n, 0, 0, 0,
                n / pingSeconds, open / pingSeconds, t.pongs() / pingSeconds, n, t.pongs(),
                Math.max(0, n - t.pongs()), t.errors(), h.percentile(50) / 1e6, h.percentile(99) / 1e6,
                h.max() / 1e6, pinging.cpuUsPer(t.pongs()), pinging.rssKb(), extras);
        report.print(r);
        return List.of(r);
    }
}
