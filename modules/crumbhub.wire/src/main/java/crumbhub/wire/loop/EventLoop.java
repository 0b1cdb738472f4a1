package crumbhub.wire.loop;

import crumbhub.wire.log.Log;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One thread that owns a {@link Selector}, every channel registered with it, a timer heap and a
 * task queue. The thread blocks only in {@code select}; everything it runs must not block.
 *
 * <p>Each tick: select (until the next timer, or not at all when work is queued), handle the
 * ready channels, run due timers, run queued tasks, then run the end-of-tick actions (where
 * connections flush the frames they gathered during the tick, so that frames sent in one tick
 * share Noise messages and a single gathering write).
 *
 * <p>Other threads hand work over with {@link #execute}: the task is queued and the selector woken,
 * unless the caller is the loop thread itself or a wake-up is already pending. A task, timer or
 * I/O handler that throws an {@link Exception} is logged and the loop carries on (a handler's
 * channel is closed); an {@link Error} stops the loop and goes to its {@link FatalErrors.Handler}.
 *
 * <pre>
 *  RUNNING --shutdownGracefully()--> SHUTTING_DOWN --channels released, queue drained--> TERMINATED
 * </pre>
 * Timers that are due after shutdown began do not run. Tasks queued before termination run;
 * {@code execute} after termination throws {@link RejectedExecutionException}. After an
 * {@code Error} the loop terminates at once: nothing more runs and {@link #terminationFuture()}
 * completes with the error.
 */
public final class EventLoop implements Executor {
    private static final Log LOG = Log.get(EventLoop.class.getName());
    /** Tasks run per tick before sockets get another turn, so a flood of tasks cannot starve I/O. */
    private static final int MAX_TASKS_PER_TICK = 4096;
    /** End-of-tick actions run per tick; more wait for the next tick, so a self-feeding action cannot spin forever. */
    private static final int MAX_END_OF_TICK_PER_TICK = 65_536;
    /** Drain rounds during shutdown before remaining work is abandoned. */
    private static final int SHUTDOWN_DRAIN_ROUNDS = 64;

    private static final int RUNNING = 0;
    private static final int SHUTTING_DOWN = 1;
    private static final int TERMINATED = 2;

    private final String name;
    private final NanoClock clock;
    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final AtomicLong wakeups = new AtomicLong();
    private final AtomicInteger state = new AtomicInteger(RUNNING);
    private final CompletableFuture<Void> termination = new CompletableFuture<>();
    private final TimerQueue timers = new TimerQueue();
    private final ArrayDeque<Runnable> endOfTick = new ArrayDeque<>();
    private final FatalErrors.Handler fatal;

    /** Starts a loop on a new daemon thread named {@code name}, timed by the system clock. */
    public EventLoop(String name) {
        this(name, NanoClock.SYSTEM);
    }

    /** Starts a loop on a new daemon thread named {@code name}, timed by {@code clock}. */
    public EventLoop(String name, NanoClock clock) {
        this(name, clock, FatalErrors.INSTALLED);
    }

    /** As {@link #EventLoop(String, NanoClock)}, handing an {@link Error} to {@code fatal} instead of the installed handler. */
    public EventLoop(String name, NanoClock clock, FatalErrors.Handler fatal) {
        this.name = Objects.requireNonNull(name);
        this.clock = Objects.requireNonNull(clock);
        this.fatal = Objects.requireNonNull(fatal);
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for " + name, e);
        }
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::run);
        thread.start();
    }

    public String name() {
        return name;
    }

    /** Whether the calling thread is this loop's thread. */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** This loop's clock reading, in nanoseconds. */
    public long nanoTime() {
        return clock.nanoTime();
    }

    /**
     * Runs {@code task} on the loop thread, after the work already queued. Callable from any
     * thread; never blocks. Tasks from one thread run in the order they were queued.
     *
     * @throws RejectedExecutionException if the loop has terminated
     */
    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task);
        if (state.get() == TERMINATED) {
            throw new RejectedExecutionException(name + " has terminated");
        }
        tasks.add(task);
        if (state.get() == TERMINATED && tasks.remove(task)) {
            throw new RejectedExecutionException(name + " has terminated");
        }
        if (!inLoop() && wakeupPending.compareAndSet(false, true)) {
            wakeups.incrementAndGet();
            selector.wakeup();
        }
    }

    /** Timers in the heap, cancelled ones not yet purged included; loop thread only, for tests. */
    int timerCount() {
        return timers.size();
    }

    /** How many times {@link #execute} woke the selector; for tests of the wake-up rule. */
    long wakeupCount() {
        return wakeups.get();
    }

    /**
     * Runs {@code task} on the loop thread once {@code delay} has passed on this loop's clock.
     * Callable from any thread.
     *
     * @throws RejectedExecutionException if called from another thread after the loop terminated
     */
    public Cancellable schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(task);
        long nanos = Math.max(0, delay.toNanos());
        var t = new TimerQueue.Task(clock.nanoTime() + nanos, task);
        if (inLoop()) {
            timers.add(t);
        } else {
            execute(() -> timers.add(t));
        }
        return t;
    }

    /**
     * Registers a channel (already non-blocking) with this loop's selector. Loop thread only.
     *
     * @throws ClosedChannelException if the channel is closed
     */
    public SelectionKey register(SelectableChannel channel, int ops, IoHandler handler) throws ClosedChannelException {
        requireInLoop();
        if (state.get() != RUNNING) {
            throw new RejectedExecutionException(name + " is shutting down");
        }
        return channel.register(selector, ops, Objects.requireNonNull(handler));
    }

    /** Runs {@code action} at the end of the current tick, after I/O, timers and tasks. Loop thread only. */
    public void runAtEndOfTick(Runnable action) {
        requireInLoop();
        endOfTick.add(action);
    }

    private void requireInLoop() {
        if (!inLoop()) {
            throw new IllegalStateException("must be called on " + name + ", not " + Thread.currentThread().getName());
        }
    }

    public boolean isShuttingDown() {
        return state.get() != RUNNING;
    }

    /**
     * Starts an orderly shutdown: every registered channel's handler is told to release its
     * channel, queued work drains, the selector closes and the thread ends. Callable from any
     * thread; returns at once with {@link #terminationFuture()}.
     */
    public CompletableFuture<Void> shutdownGracefully() {
        if (state.compareAndSet(RUNNING, SHUTTING_DOWN)) {
            selector.wakeup();
        }
        return termination;
    }

    /** Completes when the loop thread has ended. */
    public CompletableFuture<Void> terminationFuture() {
        return termination;
    }

    private void run() {
        Error failure = null;
        try {
            while (state.get() == RUNNING) {
                select();
                runTimers();
                runTasks();
                runEndOfTick();
            }
            releaseAndDrain();
        } catch (IOException | RuntimeException e) {
            LOG.error(e, "loop_failed", "loop", name);
        } catch (Error e) {
            failure = e;
        } finally {
            state.set(TERMINATED);
            if (failure != null) {
                tasks.clear();
                FatalErrors.report(fatal, failure);
            }
            closeSelector();
            if (failure == null) {
                // whatever slipped in between the last drain and TERMINATED still runs once
                runSafely(tasks::poll, Integer.MAX_VALUE);
                termination.complete(null);
            } else {
                termination.completeExceptionally(failure);
            }
        }
    }

    private void select() throws IOException {
        wakeupPending.set(false);
        if (!tasks.isEmpty() || !endOfTick.isEmpty()) {
            selector.selectNow(this::handleKey);
        } else if (timers.isEmpty()) {
            selector.select(this::handleKey);
        } else {
            long delay = timers.nextDeadline() - clock.nanoTime();
            if (delay <= 0) {
                selector.selectNow(this::handleKey);
            } else {
                // round up so a timer is never woken early and spun on
                selector.select(this::handleKey, Math.max(1, (delay + 999_999) / 1_000_000));
            }
        }
    }

    private void handleKey(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        var handler = (IoHandler) key.attachment();
        try {
            handler.onSelected(key.readyOps());
        } catch (Exception t) {
            LOG.error(t, "io_handler_failed", "loop", name, "action", "close_channel");
            key.cancel();
            try {
                key.channel().close();
            } catch (IOException e) {
                LOG.debug(e, "channel_close_failed", "loop", name);
            }
        }
    }

    private void runTimers() {
        long now = clock.nanoTime();
        TimerQueue.Task t;
        while ((t = timers.pollExpired(now)) != null) {
            if (t.start()) {
                runOne(t.action());
            }
        }
    }

    private void runTasks() {
        runSafely(tasks::poll, MAX_TASKS_PER_TICK);
    }

    private void runEndOfTick() {
        runSafely(endOfTick::poll, MAX_END_OF_TICK_PER_TICK);
    }

    private interface Source {
        Runnable next();
    }

    private int runSafely(Source source, int max) {
        int n = 0;
        Runnable r;
        while (n < max && (r = source.next()) != null) {
            runOne(r);
            n++;
        }
        return n;
    }

    /** Runs one task; an {@link Exception} is logged, an {@link Error} ends the loop (see {@link #run()}). */
    private void runOne(Runnable r) {
        try {
            r.run();
        } catch (Exception t) {
            LOG.error(t, "task_failed", "loop", name);
        }
    }

    private void releaseAndDrain() {
        timers.clear();
        List<IoHandler> handlers = new ArrayList<>();
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof IoHandler h) {
                handlers.add(h);
            }
        }
        for (IoHandler h : handlers) {
            runOne(h::onLoopShutdown);
        }
        for (int round = 0; round < SHUTDOWN_DRAIN_ROUNDS; round++) {
            int ran = runSafely(tasks::poll, MAX_TASKS_PER_TICK) + runSafely(endOfTick::poll, MAX_END_OF_TICK_PER_TICK);
            if (ran == 0) {
                break;
            }
        }
    }

    private void closeSelector() {
        for (SelectionKey key : selector.keys()) {
            try {
                key.channel().close();
            } catch (IOException e) {
                LOG.debug(e, "channel_close_failed", "loop", name);
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.warn(e, "selector_close_failed", "loop", name);
        }
    }

    @Override
    public String toString() {
        return "EventLoop[" + name + "]";
    }
}
