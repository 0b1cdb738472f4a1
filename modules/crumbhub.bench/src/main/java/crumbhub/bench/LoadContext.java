package crumbhub.bench;

import crumbhub.wire.loop.EventLoop;
import crumbhub.wire.loop.EventLoopGroup;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What one bench run shares: its options, the event loops that drive every connection, each
 * loop's {@link LoopStats}, a random run id (so messages of earlier runs, replayed by a server,
 * never count) and where progress notes go. The orchestrating thread owns it and is the only one
 * that blocks; the loops never do.
 */
public final class LoadContext implements AutoCloseable {
    /** Longest wait for a task on every loop, such as collecting counters. */
    static final Duration LOOP_TASK_TIMEOUT = Duration.ofSeconds(30);

    private final BenchOptions options;
    private final EventLoopGroup group;
    private final Map<EventLoop, LoopStats> stats = new IdentityHashMap<>();
    private final int runId;
    private final PrintStream notes;

    public LoadContext(BenchOptions options, int runId, PrintStream notes) {
        this.options = options;
        this.group = new EventLoopGroup("bench", options.loops());
        for (EventLoop loop : group.loops()) {
            stats.put(loop, new LoopStats());
        }
        this.runId = runId;
        this.notes = notes;
    }

    public BenchOptions options() {
        return options;
    }

    public int runId() {
        return runId;
    }

    /** The loop for client {@code i}: round-robin, so clients spread evenly. */
    public EventLoop loopFor(int i) {
        return group.loops().get(Math.floorMod(i, group.loops().size()));
    }

    public LoopStats statsOf(EventLoop loop) {
        return stats.get(loop);
    }

    /** A progress sentence on stderr (never on stdout, which carries the report). */
    public void note(String sentence) {
        notes.println("crumbhub-bench: " + sentence);
        notes.flush();
    }

    /** Work for {@link #onEachLoop}: runs on {@code loop}'s thread with that loop's stats. */
    @FunctionalInterface
    public interface LoopTask<T> {
        T apply(EventLoop loop, LoopStats stats);
    }

    /**
     * Runs {@code task} on every loop and returns the results in loop order. Blocks the calling
     * thread, which must not be a loop.
     */
    public <T> List<T> onEachLoop(LoopTask<T> task) throws BenchException {
        var futures = new ArrayList<CompletableFuture<T>>();
        for (EventLoop loop : group.loops()) {
            var f = new CompletableFuture<T>();
            LoopStats s = stats.get(loop);
            loop.execute(() -> {
                try {
                    f.complete(task.apply(loop, s));
                } catch (RuntimeException e) {
                    f.completeExceptionally(e);
                }
            });
            futures.add(f);
        }
        var out = new ArrayList<T>(futures.size());
        long deadline = System.nanoTime() + LOOP_TASK_TIMEOUT.toNanos();
        for (var f : futures) {
            out.add(await(f, deadline, "an event loop did not answer"));
        }
        return out;
    }

    /** The sum of every loop's counters now, each loop's latencies starting again from none ({@link LoopStats#window}). */
    public LoopStats.Tally window() throws BenchException {
        return LoopStats.Tally.sum(onEachLoop((loop, s) -> s.window()));
    }

    /** The sum of every loop's counters now. */
    public LoopStats.Tally tally() throws BenchException {
        return LoopStats.Tally.sum(onEachLoop((loop, s) -> s.snapshot()));
    }

    /**
     * Waits for {@code f} until {@code deadlineNanos} (System.nanoTime).
     *
     * @throws BenchException with {@code what} on timeout, or the failure's message
     */
    static <T> T await(CompletableFuture<T> f, long deadlineNanos, String what) throws BenchException {
        try {
            return f.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new BenchException(what + " in time", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof BenchException b) {
                throw b;
            }
            throw new BenchException(what + ": " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
    }

    /** Sleeps the orchestrating thread; an interrupt ends the run. */
    static void sleep(Duration d) throws BenchException {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
    }

    /** Stops every loop (closing their connections) and waits up to ten seconds. */
    @Override
    public void close() {
        group.close();
    }
}
