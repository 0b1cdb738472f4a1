package crumbhub.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The second half of {@code overload} (docs/benchmarks.md "Overload"): after the stepped search
 * of {@link LoadScenario} found the highest rate the server passes within the p99 limit (its
 * capacity), the senders offer {@code --overload-factor} times that rate without a pause for
 * {@code --overload-time}, then half the capacity for {@link #RECOVERY}. One line per
 * {@link #WINDOW} of overload and per second of recovery: what was offered, sent and delivered,
 * the latencies of the deliveries in that window, the server's RSS, heap live after collection
 * and messages waiting ({@code --server-pid}, {@code --server-metrics}), and what held the senders
 * back: {@code refused} (the connection's outbound buffer was full, i.e. TCP back-pressure from
 * the server) and {@code errors} (the server refused a SEND, e.g. a quota).
 *
 * <p>The last line, numbered 0, has the verdicts: {@code lost_acknowledged} (deliveries of
 * messages the server acknowledged that never arrived, after a drain: must be 0), and
 * {@code recovered_s}, the seconds from the end of the overload to the first recovery window from
 * which every later one has its p99 within the limit (-1: not within {@link #RECOVERY}).
 */
final class OverloadPhase {
    /** Length of one reported window while overloaded. */
    static final Duration WINDOW = Duration.ofSeconds(10);
    /** Load after the overload, and its reporting window. */
    static final Duration RECOVERY = Duration.ofSeconds(30);
    static final Duration RECOVERY_WINDOW = Duration.ofSeconds(1);
    /** Longest wait after the recovery for messages acknowledged but not delivered yet. */
    static final Duration DRAIN = Duration.ofSeconds(60);
    /** Run number stamped into the phase's messages: one for overload and recovery, so late ones still count. */
    static final int STEP = 100;

    private final LoadContext ctx;
    private final BenchOptions options;
    private final PacedSenders senders;
    private final ServerMeter meter;
    private final ServerMetrics metrics;
    private final int clients;
    private final int receivers;

    /** @param receivers deliveries each message makes (the other members of the one room) */
    OverloadPhase(LoadContext ctx, PacedSenders senders, ServerMeter meter, ServerMetrics metrics, int clients,
            int receivers) {
        this.ctx = ctx;
        this.options = ctx.options();
        this.senders = senders;
        this.meter = meter;
        this.metrics = metrics;
        this.clients = clients;
        this.receivers = receivers;
    }

    List<StepResult> run(double capacity, int firstStep, Report report) throws BenchException {
        double offered = capacity * options.overloadFactor();
        ctx.note("overloading at " + Math.round(offered) + " messages/s (" + options.overloadFactor() + " x "
                + Math.round(capacity) + ") for " + options.overloadTime().toSeconds() + " s");
        ctx.onEachLoop((loop, s) -> {
            s.begin(ctx.runId(), STEP, LoopStats.Measure.DELIVERY);
            return null;
        });
        var results = new ArrayList<StepResult>();
        var windows = new Windows(firstStep);
        meter.start();
        var overload = senders.start(STEP, offered, options.overloadTime());
        long start = senders.startNanos();
        long n = Math.max(1, options.overloadTime().toNanos() / WINDOW.toNanos());
        for (int w = 1; w <= n; w++) {
            results.add(windows.next(start + WINDOW.toNanos() * w, offered, WINDOW, "overload", report));
        }
        long sendDeadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (var f : overload) {
            LoadContext.await(f, sendDeadline, "the senders did not finish the overload");
        }
        long before = senders.sent().messages();
        double calm = capacity / 2;
        ctx.note("recovering at " + Math.round(calm) + " messages/s for " + RECOVERY.toSeconds() + " s");
        var recovery = senders.start(STEP, calm, RECOVERY);
        long recoveryStart = senders.startNanos();
        int recoveryWindows = (int) (RECOVERY.toNanos() / RECOVERY_WINDOW.toNanos());
        var recoveryLines = new ArrayList<StepResult>();
        for (int w = 1; w <= recoveryWindows; w++) {
            StepResult r = windows.next(recoveryStart + RECOVERY_WINDOW.toNanos() * w, calm, RECOVERY_WINDOW,
                    "recovery", report);
            recoveryLines.add(r);
            results.add(r);
        }
        for (var f : recovery) {
            LoadContext.await(f, System.nanoTime() + Duration.ofSeconds(30).toNanos(),
                    "the senders did not finish the recovery");
        }
        long deadline = System.nanoTime() + DRAIN.toNanos();
        LoopStats.Tally t = ctx.tally();
        while (t.received() < t.acked() * receivers && System.nanoTime() < deadline) {
            LoadContext.sleep(Duration.ofMillis(50));
            t = ctx.tally();
        }
        var extras = new LinkedHashMap<String, Object>();
        extras.put("phase", "total");
        extras.put("capacity_per_s", capacity);
        extras.put("offered_overload_per_s", offered);
        extras.put("sent_overload", before);
        extras.put("acked", t.acked());
        extras.put("refused", t.refused());
        extras.put("lost_acknowledged", Math.max(0, t.acked() * receivers - t.received()));
        extras.put("recovered_s", recoveredAfter(recoveryLines));
        extras.put("max_rss_kb", windows.maxRssKb);
        extras.put("max_heap_after_gc_mb", windows.maxHeapMb);
        extras.put("max_messages_waiting", windows.maxWaiting);
        StepResult total = new StepResult(options.target().label(), options.scenario().label(), 0, clients, 1,
                senders.count(), options.size(), offered, -1, -1, t.acked() * receivers, t.received(),
                Math.max(0, t.acked() * receivers - t.received()), t.errors(), -1, -1, -1, null, -1, extras);
        report.print(total);
        results.add(total);
        return results;
    }

    /** Seconds from the end of the overload to the first window from which all later ones are within the limit; -1 if none. */
    private double recoveredAfter(List<StepResult> recovery) {
        int from = recovery.size();
        for (int i = recovery.size() - 1; i >= 0; i--) {
            StepResult r = recovery.get(i);
            if (r.p99Ms() > options.p99LimitMs() || r.received() == 0) {
                break;
            }
            from = i;
        }
        return from == recovery.size() ? -1 : from * RECOVERY_WINDOW.toNanos() / 1e9;
    }

    /** Cuts one long run into reported windows; keeps the previous counters and the peaks. Orchestrating thread. */
    private final class Windows {
        private int step;
        private LoopStats.Tally before;
        long maxRssKb = -1;
        double maxHeapMb = -1;
        double maxWaiting = -1;

        Windows(int firstStep) {
            this.step = firstStep;
        }

        StepResult next(long endNanos, double rate, Duration length, String phase, Report report) throws BenchException {
            LoadContext.sleep(Duration.ofNanos(Math.max(0, endNanos - System.nanoTime())));
            LoopStats.Tally t = ctx.window();
            ServerMeter.Span span = meter.stop();
            meter.start();
            Map<String, Double> m = metrics.sample();
            double heap = m.getOrDefault("crumbhub_heap_used_after_gc_bytes", -1.0);
            double heapMb = heap < 0 ? -1 : heap / (1 << 20);
            double waiting = m.getOrDefault("crumbhub_messages_waiting", -1.0);
            maxRssKb = Math.max(maxRssKb, span.rssKb());
            maxHeapMb = Math.max(maxHeapMb, heapMb);
            maxWaiting = Math.max(maxWaiting, waiting);
            long received = t.received() - (before == null ? 0 : before.received());
            long sent = t.sent() - (before == null ? 0 : before.sent());
            double seconds = length.toNanos() / 1e9;
            var extras = new LinkedHashMap<String, Object>();
            extras.put("phase", phase);
            extras.put("acked", t.acked() - (before == null ? 0 : before.acked()));
            extras.put("refused", t.refused() - (before == null ? 0 : before.refused()));
            extras.put("heap_after_gc_mb", heapMb);
            extras.put("messages_waiting", waiting);
            StepResult r = new StepResult(options.target().label(), options.scenario().label(), step++, clients, 1,
                    senders.count(), options.size(), rate, sent / seconds, received / seconds, -1, received, 0,
                    t.errors() - (before == null ? 0 : before.errors()), t.latency().percentile(50) / 1e6,
                    t.latency().percentile(99) / 1e6, t.latency().max() / 1e6, span.cpuUsPer(received), span.rssKb(),
                    extras);
            report.print(r);
            before = t;
            return r;
        }
    }
}
