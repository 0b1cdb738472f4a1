package crumbhub.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code soak}: C clients spread over M rooms, the first S of them sending without a pause at an
 * aggregate rate for {@code --steps} windows of {@code --duration} each (the one-hour soak of
 * docs/benchmarks.md: 60 windows of 60 s). After each window it prints one line: the window's
 * deliveries and latencies, and the server's resources — RSS, open files and threads from
 * {@code /proc} ({@code --server-pid}), the heap live after collection and the messages waiting from
 * its metrics endpoint ({@code --server-metrics}). Each window also drops {@link #CHURN} of the
 * receiving clients and connects them again (RESUME then SYNC: what they missed comes from their
 * mailbox), and connects again any client whose connection closed by itself (a network fault put
 * in between by whoever runs the soak).
 *
 * <p>At the end the bench waits for the last messages ({@code --drain}, at least 10 s; clients
 * closed meanwhile are connected again, as in the windows) and prints a
 * line numbered 0 with the totals: the deliveries expected of every message the server
 * acknowledged, and those received (lost must be 0: reconnected clients get what they missed from
 * their mailboxes; a message whose connection broke before its acknowledgement may or may not have
 * been stored, so it is not counted), and how each resource moved from the first third of the
 * windows to the last ({@code *_growth}, {@code *_growth_pct}, {@code heap_after_gc_growth_mb}): a leak shows as growth that a steady load does not explain.
 * The rooms are of one size ({@code --clients} a multiple of {@code --rooms}).
 */
final class SoakScenario {
    /** Share of the receiving clients (at least one) dropped and connected again in each window. */
    static final double CHURN = 0.01;

    private final LoadContext ctx;
    private final BenchOptions options;
    private final CrumbFleet fleet;
    private final ServerMeter meter;
    private final ServerMetrics metrics;
    private final PacedSenders senders;
    private final Random random;

    SoakScenario(LoadContext ctx, CrumbFleet fleet, ServerMeter meter, ServerMetrics metrics, Random random) {
        this.ctx = ctx;
        this.options = ctx.options();
        this.fleet = fleet;
        this.meter = meter;
        this.metrics = metrics;
        this.senders = new PacedSenders(ctx);
        this.random = random;
    }

    /** One window's sample of the server's resources; -1 where not measured. */
    record Resources(long rssKb, long openFiles, long threads, double heapAfterGcMb, double waiting) {}

    List<StepResult> run(Report report) throws BenchException {
        int c = options.clients();
        int rooms = options.effectiveRooms();
        int[] roomOf = new int[c];
        int[] members = new int[rooms];
        for (int i = 0; i < c; i++) {
            roomOf[i] = i % rooms;
            members[roomOf[i]]++;
        }
        ctx.note("connecting " + c + " clients to " + BenchArgs.format(options.server()));
        var clients = new ArrayList<LoadClient>(fleet.connect(0, c));
        ctx.note("joining " + rooms + (rooms == 1 ? " room" : " rooms"));
        fleet.formRooms(clients, roomOf, rooms);
        for (int s = 0; s < options.effectiveSenders(); s++) {
            senders.add(clients.get(s), roomOf[s], members[roomOf[s]] - 1);
        }
        ctx.onEachLoop((loop, s) -> {
            s.begin(ctx.runId(), 1, LoopStats.Measure.DELIVERY);
            return null;
        });
        Duration window = options.duration();
        int windows = options.steps();
        ctx.note("soaking for " + windows + " windows of " + window.toSeconds() + " s at "
                + Math.round(options.rate()) + " messages/s");
        var finished = senders.start(1, options.rate(), window.multipliedBy(windows));
        long start = senders.startNanos();
        var results = new ArrayList<StepResult>();
        var samples = new ArrayList<Resources>();
        long reconnects = 0;
        LoopStats.Tally before = null;
        meter.start();
        for (int w = 1; w <= windows; w++) {
            LoadContext.sleep(Duration.ofNanos(Math.max(0, start + window.toNanos() * w - System.nanoTime())));
            LoopStats.Tally t = ctx.window();
            ServerMeter.Span span = meter.stop();
            meter.start();
            Resources r = sample(span);
            samples.add(r);
            int dropped = 0;
            var churn = new java.util.HashSet<Integer>();
            int receiving = clients.size() - senders.count();
            for (int k = Math.max(1, (int) Math.round(receiving * CHURN)); k > 0 && receiving > 0; k--) {
                churn.add(senders.count() + random.nextInt(receiving));
            }
            for (int i = 0; i < clients.size(); i++) {
                LoadClient old = clients.get(i);
                if (churn.contains(i) || !old.isOpen()) {
                    dropped += old.isOpen() ? 0 : 1;
                    clients.set(i, reconnect(old));
                    reconnects++;
                }
            }
            long received = t.received() - (before == null ? 0 : before.received());
            long sent = t.sent() - (before == null ? 0 : before.sent());
            double seconds = window.toNanos() / 1e9;
            var extras = resourceExtras(r);
            extras.put("reconnected", reconnects);
            extras.put("closed_by_faults", dropped);
            StepResult line = new StepResult(options.target().label(), options.scenario().label(), w, c, rooms,
                    senders.count(), options.size(), options.rate(), sent / seconds, received / seconds, -1, received, 0,
                    t.errors() - (before == null ? 0 : before.errors()), t.latency().percentile(50) / 1e6,
                    t.latency().percentile(99) / 1e6, t.latency().max() / 1e6, span.cpuUsPer(received), span.rssKb(),
                    extras);
            report.print(line);
            results.add(line);
            before = t;
        }
        long deadline = System.nanoTime() + Math.max(Duration.ofSeconds(10).toNanos(), options.drain().toNanos());
        for (var f : finished) {
            LoadContext.await(f, deadline, "the senders did not finish");
        }
        PacedSenders.Sent out = senders.sent();
        int receivers = c / rooms - 1;
        LoopStats.Tally t = ctx.tally();
        while (t.received() < t.acked() * receivers && System.nanoTime() < deadline) {
            // a client a fault closed after the last window gets what it missed only once it is back
            for (int i = 0; i < clients.size(); i++) {
                if (!clients.get(i).isOpen()) {
                    clients.set(i, reconnect(clients.get(i)));
                    reconnects++;
                }
            }
            LoadContext.sleep(Duration.ofMillis(50));
            t = ctx.tally();
        }
        StepResult total = total(out, t, receivers, samples, clients.size(), reconnects);
        report.print(total);
        results.add(total);
        for (LoadClient client : clients) {
            client.close();
        }
        return results;
    }

    /** Closes {@code old} (after acknowledging what it received) and connects its user again. */
    private LoadClient reconnect(LoadClient old) throws BenchException {
        long seen = ctx.onEachLoop((loop, s) -> {
            if (loop != old.loop()) {
                return 0L;
            }
            old.flush();
            old.close();
            return ((CrumbClient) old).highestSeq();
        }).stream().mapToLong(Long::longValue).max().orElse(0);
        LoadClient fresh = fleet.reconnect(old.index(), seen);
        senders.replace(old, fresh);
        return fresh;
    }

    private Resources sample(ServerMeter.Span span) throws BenchException {
        Map<String, Double> m = metrics.sample();
        double heap = m.getOrDefault("crumbhub_heap_used_after_gc_bytes", -1.0);
        return new Resources(span.rssKb(), meter.openFiles(), meter.threads(), heap < 0 ? -1 : heap / (1 << 20),
                m.getOrDefault("crumbhub_messages_waiting", -1.0));
    }

    private static LinkedHashMap<String, Object> resourceExtras(Resources r) {
        var extras = new LinkedHashMap<String, Object>();
        extras.put("open_files", r.openFiles());
        extras.put("threads", r.threads());
        extras.put("heap_after_gc_mb", r.heapAfterGcMb());
        extras.put("messages_waiting", r.waiting());
        return extras;
    }

    /** The totals line (step 0): deliveries over the whole soak and how each resource moved. */
    private StepResult total(PacedSenders.Sent out, LoopStats.Tally t, int receivers, List<Resources> samples,
            int clients, long reconnects) {
        double seconds = options.duration().toNanos() / 1e9 * options.steps();
        var extras = new LinkedHashMap<String, Object>();
        extras.put("reconnected", reconnects);
        extras.put("sent_messages", out.messages());
        extras.put("acked", t.acked());
        int third = Math.max(1, samples.size() / 3);
        List<Resources> first = samples.subList(0, third);
        List<Resources> last = samples.subList(samples.size() - third, samples.size());
        extras.put("rss_growth_pct", growthPct(first, last, r -> r.rssKb()));
        extras.put("heap_after_gc_growth_mb", max(last, Resources::heapAfterGcMb) - max(first, Resources::heapAfterGcMb));
        extras.put("open_files_growth", max(last, r -> r.openFiles()) - max(first, r -> r.openFiles()));
        extras.put("threads_growth", max(last, r -> r.threads()) - max(first, r -> r.threads()));
        extras.put("messages_waiting_end", samples.isEmpty() ? -1 : samples.getLast().waiting());
        return new StepResult(options.target().label(), options.scenario().label(), 0, clients,
                options.effectiveRooms(), senders.count(), options.size(), options.rate(), out.messages() / seconds,
                t.received() / seconds, t.acked() * receivers, t.received(),
                Math.max(0, t.acked() * receivers - t.received()), t.errors(), -1, -1, -1, null, -1, extras);
    }

    /** Growth of the largest value from the first windows to the last, in percent; 0 when not measured. */
    static double growthPct(List<Resources> first, List<Resources> last,
            java.util.function.ToDoubleFunction<Resources> value) {
        double a = max(first, value);
        double b = max(last, value);
        return a <= 0 ? 0 : (b - a) / a * 100;
    }

    private static double max(List<Resources> rs, java.util.function.ToDoubleFunction<Resources> value) {
        return rs.stream().mapToDouble(value).max().orElse(-1);
    }
}
