package crumbhub.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code pingpong}: two clients in one room; the first sends a message, the second sends it back
 * as soon as it arrives, and the first measures the round trip and sends the next one. One
 * message is in flight at a time (closed loop), so this is the latency of an idle server. A
 * message not back within the drain time counts as lost and the next one goes out.
 */
final class PingPongScenario {
    /** How often the first client checks whether its message is overdue. */
    private static final Duration WATCHDOG = Duration.ofMillis(50);

    private final LoadContext ctx;
    private final BenchOptions options;
    private final Fleet fleet;
    private final ServerMeter meter;

    /** The first client's state; its loop thread only. */
    private LoadClient pinger;
    private final Probe outgoing = new Probe();
    private long seq;
    private boolean outstanding;
    private long sentAt;
    private long lost;
    private long sent;
    private boolean stopping;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    PingPongScenario(LoadContext ctx, Fleet fleet, ServerMeter meter) {
        this.ctx = ctx;
        this.options = ctx.options();
        this.fleet = fleet;
        this.meter = meter;
    }

    List<StepResult> run(Report report) throws BenchException {
        ctx.note("connecting 2 clients to " + options.target().label() + " at " + BenchArgs.format(options.server()));
        List<LoadClient> clients = fleet.connect(0, 2);
        fleet.formRooms(clients, new int[] {0, 0}, 1);
        pinger = clients.get(0);
        LoadClient echo = clients.get(1);
        ctx.onEachLoop((loop, s) -> {
            s.begin(ctx.runId(), 1, LoopStats.Measure.DELIVERY);
            return null;
        });
        int size = options.size();
        echo.loop().execute(() -> echo.onProbe((receiver, p, now) -> {
            if (receiver.stats().current(p)) {
                receiver.send(0, p, size);
            } else {
                receiver.stats().stale();
            }
        }));
        meter.start();
        long start = System.nanoTime();
        pinger.loop().execute(() -> {
            pinger.onProbe(this::onEcho);
            sendNext();
            pinger.loop().schedule(WATCHDOG, this::watchdog);
        });
        LoadContext.sleep(options.duration());
        pinger.loop().execute(() -> {
            stopping = true;
            if (!outstanding) {
                stopped.complete(null);
            }
        });
        LoadContext.await(stopped, System.nanoTime() + options.drain().toNanos() + Duration.ofSeconds(5).toNanos(),
                "the last ping did not come back");
        long end = System.nanoTime();
        ServerMeter.Span span = meter.stop();
        LoopStats.Tally t = ctx.tally();
        long[] counts = onPinger();
        long roundTrips = t.received();
        double seconds = (end - start) / 1e9;
        Histogram h = t.latency();
        var extras = new LinkedHashMap<String, Object>();
        extras.put("round_trips", roundTrips);
        StepResult r = new StepResult(options.target().label(), options.scenario().label(), 1, 2, 1, 1, size,
                roundTrips / seconds, t.sent() / seconds, 2 * roundTrips / seconds, counts[0], roundTrips,
                counts[1], t.errors(), h.percentile(50) / 1e6, h.percentile(99) / 1e6, h.max() / 1e6,
                span.cpuUsPer(2 * roundTrips), span.rssKb(), extras);
        report.print(r);
        return List.of(r);
    }

    /** {sent, lost} read on the pinger's loop. */
    private long[] onPinger() throws BenchException {
        var f = new CompletableFuture<long[]>();
        pinger.loop().execute(() -> f.complete(new long[] {sent, lost}));
        return LoadContext.await(f, System.nanoTime() + LoadContext.LOOP_TASK_TIMEOUT.toNanos(),
                "the event loop did not answer");
    }

    private void sendNext() {
        if (stopping) {
            stopped.complete(null);
            return;
        }
        long now = System.nanoTime();
        outgoing.set(ctx.runId(), 1, pinger.index(), ++seq, now);
        sentAt = now;
        outstanding = true;
        sent++;
        if (!pinger.send(0, outgoing, options.size())) {
            outstanding = false;
            sent--;
            stopping = true;
            stopped.completeExceptionally(new BenchException("the first client's connection closed"));
        }
    }

    private void onEcho(LoadClient receiver, Probe p, long now) {
        if (!receiver.stats().current(p) || !outstanding || p.seq != seq) {
            receiver.stats().stale();
            return;
        }
        outstanding = false;
        receiver.stats().roundTrip(now - p.sentNanos);
        sendNext();
    }

    private void watchdog() {
        if (stopped.isDone()) {
            return;
        }
        if (outstanding && System.nanoTime() - sentAt > Math.max(options.drain().toNanos(), WATCHDOG.toNanos())) {
            outstanding = false;
            lost++;
            sendNext();
        }
        pinger.loop().schedule(WATCHDOG, this::watchdog);
    }
}
