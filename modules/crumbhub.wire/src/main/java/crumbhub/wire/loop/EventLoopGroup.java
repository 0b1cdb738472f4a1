package crumbhub.wire.loop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed set of {@link EventLoop}s, one thread each (by default one per available processor),
 * handed out round-robin by {@link #next()}. Thread-safe.
 */
public final class EventLoopGroup implements AutoCloseable {
    /** How long {@link #close()} waits for the loops to end. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final List<EventLoop> loops;
    private final AtomicInteger nextIndex = new AtomicInteger();

    /** One loop per available processor; threads are named {@code name-0}, {@code name-1}, … */
    public EventLoopGroup(String name) {
        this(name, Runtime.getRuntime().availableProcessors());
    }

    public EventLoopGroup(String name, int threads) {
        this(name, threads, NanoClock.SYSTEM);
    }

    public EventLoopGroup(String name, int threads, NanoClock clock) {
        if (threads < 1) {
            throw new IllegalArgumentException("an event loop group needs at least one thread, got " + threads);
        }
        var list = new ArrayList<EventLoop>(threads);
        for (int i = 0; i < threads; i++) {
            list.add(new EventLoop(name + "-" + i, clock));
        }
        this.loops = List.copyOf(list);
    }

    /** The next loop, round-robin. */
    public EventLoop next() {
        return loops.get(Math.floorMod(nextIndex.getAndIncrement(), loops.size()));
    }

    public List<EventLoop> loops() {
        return loops;
    }

    /** Shuts every loop down (see {@link EventLoop#shutdownGracefully()}); completes when all have ended. */
    public CompletableFuture<Void> shutdownGracefully() {
        return CompletableFuture.allOf(loops.stream().map(EventLoop::shutdownGracefully)
                .toArray(CompletableFuture[]::new));
    }

    /** Whether every loop ended within {@code timeout} of starting a shutdown. Blocks the caller. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        try {
            shutdownGracefully().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("an event loop failed to terminate", e.getCause());
        }
    }

    /** Shuts down and waits up to ten seconds; must not be called from one of this group's loops. */
    @Override
    public void close() {
        if (loops.stream().anyMatch(EventLoop::inLoop)) {
            throw new IllegalStateException("an event loop group cannot be closed from its own loop");
        }
        try {
            awaitTermination(CLOSE_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
