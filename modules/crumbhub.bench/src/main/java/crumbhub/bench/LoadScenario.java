package crumbhub.bench;

import crumbhub.bench.BenchOptions.Scenario;
import crumbhub.wire.loop.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The stepped scenarios: {@code fanout} (C clients in one room), {@code rooms} (C clients spread
 * over M rooms) and {@code ack} (fanout, measuring send to durable acknowledgement). The first S
 * clients send, paced open-loop at an aggregate rate split evenly between them; after each step
 * the bench waits for the step's messages to drain, reports, and raises the rate by the step
 * factor until a step loses messages, sees errors, passes the p99 limit or cannot be offered.
 *
 * <p>Pacing runs on the loops: one 1 ms timer per loop sends every due message of the senders
 * on that loop, so the orchestrating thread only starts steps and reads counters.
 */
final class LoadScenario {
    /** Pacing tick: fine enough that a step's bursts are small next to its latencies. */
    static final Duration TICK = Duration.ofMillis(1);
    /** Most messages one sender sends in one tick, so a stalled loop catches up without starving reads. */
    static final int MAX_BURST = 10_000;
    /** Lead time so that every loop starts a step at the same instant. */
    static final Duration LEAD = Duration.ofMillis(20);
    /** A step is the bench's own limit when it could send less than this share of the offered rate. */
    static final double OFFER_SHORTFALL = 0.9;

    /** One sending client; loop thread of its client. */
    private static final class Sender {
        final LoadClient client;
        final int room;
        final int receivers;
        Pacer pacer;
        long seq;
        long sent;

        Sender(LoadClient client, int room, int receivers) {
            this.client = client;
            this.room = room;
            this.receivers = receivers;
        }
    }

    /** The senders of one loop and the step running on it; loop thread. */
    private static final class LoopPacing {
        final List<Sender> senders = new ArrayList<>();
        final Probe probe = new Probe();
        CompletableFuture<Void> finished;
        int step;
    }

    private final LoadContext ctx;
    private final BenchOptions options;
    private final Fleet fleet;
    private final ServerMeter meter;
    private final Map<EventLoop, LoopPacing> pacing = new IdentityHashMap<>();
    private List<LoadClient> clients = List.of();

    LoadScenario(LoadContext ctx, Fleet fleet, ServerMeter meter) {
        this.ctx = ctx;
        this.options = ctx.options();
        this.fleet = fleet;
        this.meter = meter;
    }

    /** Sets up, runs the steps and prints each; returns the results. */
    List<StepResult> run(Report report) throws BenchException {
        int c = options.clients();
        int rooms = options.effectiveRooms();
        int[] roomOf = new int[c];
        int[] members = new int[rooms];
        for (int i = 0; i < c; i++) {
            roomOf[i] = i % rooms;
            members[roomOf[i]]++;
        }
        ctx.note("connecting " + c + " clients to " + options.target().label() + " at " + BenchArgs.format(options.server()));
        clients = fleet.connect(0, c);
        ctx.note("joining " + rooms + (rooms == 1 ? " room" : " rooms"));
        fleet.formRooms(clients, roomOf, rooms);
        for (int s = 0; s < options.effectiveSenders(); s++) {
            LoadClient client = clients.get(s);
            pacing.computeIfAbsent(client.loop(), l -> new LoopPacing()).senders
                    .add(new Sender(client, roomOf[s], members[roomOf[s]] - 1));
        }
        var results = new ArrayList<StepResult>();
        double rate = options.rate();
        if (!options.warmup().isZero()) {
            ctx.note("warming up for " + options.warmup().toMillis() / 1000.0 + " s at " + Math.round(rate)
                    + " messages/s");
            step(0, rate, options.warmup());
        }
        for (int step = 1; step <= options.steps(); step++) {
            StepResult r = step(step, rate, options.duration());
            report.print(r);
            results.add(r);
            if (r.broke(options.p99LimitMs())) {
                ctx.note("stopping: step " + step + (r.lost() > 0 ? " lost messages" : r.errors() > 0
                        ? " saw errors" : " passed the p99 limit of " + options.p99LimitMs() + " ms"));
                break;
            }
            if (r.sentPerS() < OFFER_SHORTFALL * r.offeredPerS()) {
                ctx.note("stopping: the bench could send only " + Math.round(r.sentPerS()) + " of "
                        + Math.round(r.offeredPerS()) + " messages/s (its own limit, not the server's)");
                break;
            }
            rate *= options.stepFactor();
        }
        return results;
    }

    /** Runs one step ({@code step} 0: the unreported warm-up) of {@code length} at {@code rate}. */
    private StepResult step(int step, double rate, Duration length) throws BenchException {
        LoopStats.Measure measure = options.scenario() == Scenario.ACK ? LoopStats.Measure.ACK : LoopStats.Measure.DELIVERY;
        ctx.onEachLoop((loop, s) -> {
            s.begin(ctx.runId(), step, measure);
            return null;
        });
        meter.start();
        double seconds = length.toNanos() / 1e9;
        int senders = options.effectiveSenders();
        double perSender = rate / senders;
        long limit = Math.max(1, Math.round(perSender * seconds));
        long start = System.nanoTime() + LEAD.toNanos();
        var finished = new ArrayList<CompletableFuture<Void>>();
        for (var e : pacing.entrySet()) {
            LoopPacing lp = e.getValue();
            var done = new CompletableFuture<Void>();
            finished.add(done);
            e.getKey().execute(() -> {
                lp.step = step;
                lp.finished = done;
                for (Sender s : lp.senders) {
                    s.pacer = new Pacer(start, perSender, limit);
                    s.sent = 0;
                }
                e.getKey().schedule(Duration.ofNanos(Math.max(0, start - System.nanoTime())), () -> tick(lp));
            });
        }
        long sendDeadline = start + length.toNanos() + Duration.ofSeconds(10).toNanos();
        for (var f : finished) {
            LoadContext.await(f, sendDeadline, "the senders did not finish their step");
        }
        long sendEnd = System.nanoTime();
        long expected = 0;
        long sent = 0;
        for (long[] pair : ctx.onEachLoop((loop, s) -> expectedOnLoop(pacing.get(loop)))) {
            expected += pair[0];
            sent += pair[1];
        }
        LoopStats.Tally t = drain(expected, sent, measure, sendEnd);
        ctx.onEachLoop((loop, s) -> {
            for (LoadClient c : clients) {
                if (c.loop() == loop) {
                    c.flush();
                }
            }
            return null;
        });
        ServerMeter.Span span = meter.stop();
        double elapsed = Math.max(seconds, (t.lastNanos() == Long.MIN_VALUE ? 0 : t.lastNanos() - start) / 1e9);
        Histogram h = t.latency();
        var extras = new LinkedHashMap<String, Object>();
        if (measure == LoopStats.Measure.ACK) {
            extras.put("acked", t.acked());
        }
        if (t.refused() > 0) {
            extras.put("refused", t.refused());
        }
        if (t.stale() > 0) {
            extras.put("stale", t.stale());
        }
        return new StepResult(options.target().label(), options.scenario().label(), step, clients.size(),
                options.effectiveRooms(), senders, options.size(), rate, sent / seconds, t.received() / elapsed,
                expected, t.received(), Math.max(0, expected - t.received()),
                t.errors() + (measure == LoopStats.Measure.ACK ? Math.max(0, sent - t.acked()) : 0),
                h.percentile(50) / 1e6, h.percentile(99) / 1e6, h.max() / 1e6,
                span.cpuUsPer(t.received()), span.rssKb(), extras);
    }

    /** On a loop: {expected deliveries, messages sent} of its senders (none: null) in this step. */
    private static long[] expectedOnLoop(LoopPacing lp) {
        long expected = 0;
        long sent = 0;
        if (lp != null) {
            for (Sender snd : lp.senders) {
                expected += snd.sent * snd.receivers;
                sent += snd.sent;
            }
        }
        return new long[] {expected, sent};
    }

    /** Waits until every expected delivery (and ack) arrived or the drain time passed. */
    private LoopStats.Tally drain(long expected, long sent, LoopStats.Measure measure, long sendEnd)
            throws BenchException {
        long deadline = sendEnd + options.drain().toNanos();
        while (true) {
            LoopStats.Tally t = ctx.tally();
            boolean acksIn = measure != LoopStats.Measure.ACK || t.acked() + t.errors() >= sent;
            if (t.received() >= expected && acksIn || System.nanoTime() >= deadline) {
                return t;
            }
            LoadContext.sleep(Duration.ofMillis(10));
        }
    }

    /** One pacing tick on a loop: sends what is due, then schedules the next tick or finishes. */
    private void tick(LoopPacing lp) {
        boolean done = true;
        int run = ctx.runId();
        int size = options.size();
        for (Sender s : lp.senders) {
            int n = s.pacer.take(System.nanoTime(), MAX_BURST);
            for (int k = 0; k < n; k++) {
                lp.probe.set(run, lp.step, s.client.index(), s.seq++, System.nanoTime());
                if (s.client.send(s.room, lp.probe, size)) {
                    s.sent++;
                }
            }
            done &= s.pacer.done();
        }
        if (done) {
            lp.finished.complete(null);
        } else {
            lp.senders.getFirst().client.loop().schedule(TICK, () -> tick(lp));
        }
    }
}
