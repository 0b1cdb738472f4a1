package crumbhub.bench;

import crumbhub.wire.loop.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The sending clients of a load scenario, paced open-loop at an aggregate rate split evenly
 * between them ({@link Pacer}). Pacing runs on the loops: one {@link #TICK} timer per loop sends
 * every due message of the senders on that loop, so the orchestrating thread only starts runs and
 * reads counters. Set up ({@link #add}) from the orchestrating thread before the first
 * {@link #start}; afterwards each loop's senders belong to that loop's thread.
 */
final class PacedSenders {
    /** Pacing tick: fine enough that a step's bursts are small next to its latencies. */
    static final Duration TICK = Duration.ofMillis(1);
    /** Most messages one sender sends in one tick, so a stalled loop catches up without starving reads. */
    static final int MAX_BURST = 10_000;
    /** Lead time so that every loop starts a run at the same instant. */
    static final Duration LEAD = Duration.ofMillis(20);

    /** One sending client; loop thread of its client. */
    private static final class Sender {
        LoadClient client;
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

    /** The senders of one loop and the run going on it; loop thread. */
    private static final class LoopPacing {
        final List<Sender> senders = new ArrayList<>();
        final Probe probe = new Probe();
        CompletableFuture<Void> finished;
        int step;
    }

    /** What the senders sent in the current run: messages, and deliveries those should make. */
    record Sent(long messages, long expectedDeliveries) {}

    private final LoadContext ctx;
    private final int size;
    private final Map<EventLoop, LoopPacing> pacing = new IdentityHashMap<>();
    private int count;
    private long startNanos;

    PacedSenders(LoadContext ctx) {
        this.ctx = ctx;
        this.size = ctx.options().size();
    }

    /** Adds a sender to room {@code room}, which has {@code receivers} other members. Orchestrating thread, before any run. */
    void add(LoadClient client, int room, int receivers) {
        pacing.computeIfAbsent(client.loop(), l -> new LoopPacing()).senders.add(new Sender(client, room, receivers));
        count++;
    }

    int count() {
        return count;
    }

    /** When the current run started ({@link System#nanoTime}). */
    long startNanos() {
        return startNanos;
    }

    /**
     * Starts a run numbered {@code step} (stamped into every message) of {@code length} at
     * {@code rate} messages a second in all, starting {@link #LEAD} from now on every loop at once;
     * the futures complete as each loop's senders have taken their share.
     */
    List<CompletableFuture<Void>> start(int step, double rate, Duration length) {
        double perSender = rate / count;
        long limit = Math.max(1, Math.round(perSender * (length.toNanos() / 1e9)));
        long start = System.nanoTime() + LEAD.toNanos();
        startNanos = start;
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
        return finished;
    }

    /** What the senders handed to their connections in the current run so far. Blocks (a task on every loop). */
    Sent sent() throws BenchException {
        long messages = 0;
        long expected = 0;
        for (long[] pair : ctx.onEachLoop((loop, s) -> sentOnLoop(pacing.get(loop)))) {
            messages += pair[0];
            expected += pair[1];
        }
        return new Sent(messages, expected);
    }

    /**
     * Replaces a sender's client by {@code fresh}, a new connection of the same user on the same
     * loop (after a reconnect). Any thread; takes effect on the loop.
     */
    void replace(LoadClient old, LoadClient fresh) {
        LoopPacing lp = pacing.get(old.loop());
        if (lp == null || fresh.loop() != old.loop()) {
            return;
        }
        old.loop().execute(() -> {
            for (Sender s : lp.senders) {
                if (s.client == old) {
                    s.client = fresh;
                }
            }
        });
    }

    /** Whether {@code client} is one of the senders. Orchestrating thread, set-up data only. */
    boolean isSender(LoadClient client) {
        LoopPacing lp = pacing.get(client.loop());
        return lp != null && lp.senders.stream().anyMatch(s -> s.client.index() == client.index());
    }

    private static long[] sentOnLoop(LoopPacing lp) {
        long messages = 0;
        long expected = 0;
        if (lp != null) {
            for (Sender s : lp.senders) {
                messages += s.sent;
                expected += s.sent * s.receivers;
            }
        }
        return new long[] {messages, expected};
    }

    /** One pacing tick on a loop: sends what is due, then schedules the next tick or finishes. */
    private void tick(LoopPacing lp) {
        boolean done = true;
        int run = ctx.runId();
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
