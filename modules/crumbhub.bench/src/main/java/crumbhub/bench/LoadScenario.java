package crumbhub.bench;

import crumbhub.bench.BenchOptions.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The stepped scenarios: {@code fanout} (C clients in one room), {@code rooms} (C clients spread
 * over M rooms) and {@code ack} (fanout, measuring send to durable acknowledgement). The first S
 * clients send, paced open-loop at an aggregate rate split evenly between them; after each step
 * the bench waits for the step's messages to drain, reports, and raises the rate by the step
 * factor until a step loses messages, sees errors, passes the p99 limit or cannot be offered.
 *
 * <p>Pacing runs on the loops ({@link PacedSenders}).
 */
final class LoadScenario {
    /** A step is the bench's own limit when it could send less than this share of the offered rate. */
    static final double OFFER_SHORTFALL = 0.9;

    private final LoadContext ctx;
    private final BenchOptions options;
    private final Fleet fleet;
    private final ServerMeter meter;
    private final PacedSenders senders;
    private List<LoadClient> clients = List.of();

    private final ServerMetrics metrics;

    LoadScenario(LoadContext ctx, Fleet fleet, ServerMeter meter, ServerMetrics metrics) {
        this.metrics = metrics;
        this.ctx = ctx;
        this.options = ctx.options();
        this.fleet = fleet;
        this.meter = meter;
        this.senders = new PacedSenders(ctx);
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
            senders.add(clients.get(s), roomOf[s], members[roomOf[s]] - 1);
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
        if (options.scenario() == Scenario.OVERLOAD) {
            results.addAll(overload(results, c - 1, report));
        }
        return results;
    }

    /** {@code overload}: the steps found the capacity; now offer a multiple of it ({@link OverloadPhase}). */
    private List<StepResult> overload(List<StepResult> steps, int receivers, Report report) throws BenchException {
        StepResult passed = null;
        for (StepResult r : steps) {
            if (!r.broke(options.p99LimitMs()) && r.sentPerS() >= OFFER_SHORTFALL * r.offeredPerS()) {
                passed = r;
            }
        }
        if (passed == null) {
            throw new BenchException("no step passed within the p99 limit, so there is no capacity to overload:"
                    + " start lower with --rate");
        }
        return new OverloadPhase(ctx, senders, meter, metrics, clients.size(), receivers)
                .run(passed.offeredPerS(), steps.size() + 1, report);
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
        long sendDeadline = System.nanoTime() + length.toNanos() + Duration.ofSeconds(10).toNanos();
        for (var f : senders.start(step, rate, length)) {
            LoadContext.await(f, sendDeadline, "the senders did not finish their step");
        }
        long sendEnd = System.nanoTime();
        long start = senders.startNanos();
        PacedSenders.Sent out = senders.sent();
        long expected = out.expectedDeliveries();
        long sent = out.messages();
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
                options.effectiveRooms(), senders.count(), options.size(), rate, sent / seconds, t.received() / elapsed,
                expected, t.received(), Math.max(0, expected - t.received()),
                t.errors() + (measure == LoopStats.Measure.ACK ? Math.max(0, sent - t.acked()) : 0),
                h.percentile(50) / 1e6, h.percentile(99) / 1e6, h.max() / 1e6,
                span.cpuUsPer(t.received()), span.rssKb(), extras);
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
}
