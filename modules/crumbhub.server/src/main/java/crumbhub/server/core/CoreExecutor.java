package crumbhub.server.core;

import crumbhub.wire.log.Log;
import crumbhub.wire.loop.Cancellable;
import crumbhub.wire.loop.EventLoop;
import crumbhub.wire.loop.FatalErrors;
import crumbhub.wire.loop.NanoClock;
import crumbhub.wire.loop.SerialExecutor;
import crumbhub.wire.net.SendBatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The one thread that owns the domain state (docs/server.md §3): everything that reads or changes it
 * runs here, in submission order, on a {@link SerialExecutor} whose clock and timers are the
 * core's time (tests build it with {@link #manual} and move a manual clock). Network threads
 * hand requests over with {@link #offer},
 * which refuses work beyond a bound so a flood cannot grow memory; the server's own
 * continuations (store callbacks, hash results, timers) use {@link #execute}, which always
 * accepts because their number is bounded by the requests already admitted.
 *
 * <p>Work handed over on an event loop thread with {@link #offer(Runnable, EventLoop)} or
 * {@link #execute(Runnable, EventLoop)} reaches the core at the end of that loop's tick, all of
 * it in one task: the core thread is woken once per tick, not once per request. With the loop
 * and the core on one CPU a wake-up per request switched between the two threads for every
 * frame read.
 *
 * <p>A task that throws an {@link Exception} is logged and the thread carries on: one bad request
 * never stops the core. An {@link Error} stops it: the core refuses further work, drops what is
 * queued and hands the error to its {@link FatalErrors.Handler} (a server's ends the process),
 * as the error may have struck between a change to live state and its journal record.
 */
public final class CoreExecutor implements AutoCloseable {
    private static final Log LOG = Log.get("crumbhub.server.core");
    /** Tasks run between two hand-offs of queued frames at most, which bounds what batching adds to latency. */
    static final int FLUSH_EVERY = 64;

    private final AtomicInteger external = new AtomicInteger();
    private final int capacity;
    private final SerialExecutor serial;
    private final boolean manual;
    private volatile boolean stopping;
    /** Runs on this thread right after each hand-off of queued frames; set once, before work arrives. */
    private volatile Runnable afterFlush = () -> { };
    /** Per event loop thread: work handed over during its current tick, see {@link #offer(Runnable, EventLoop)}. */
    private final ThreadLocal<Inbox> inboxes = new ThreadLocal<>();

    /** A core on a new thread named {@code name}, timed by the system clock, ending the process on an Error as installed. */
    public CoreExecutor(String name, int capacity) {
        this(name, capacity, NanoClock.SYSTEM, FatalErrors.INSTALLED);
    }

    /** A core on a new thread named {@code name}, timed by {@code clock}, handing an {@link Error} to {@code fatal}. */
    public CoreExecutor(String name, int capacity, NanoClock clock, FatalErrors.Handler fatal) {
        this.capacity = capacity;
        this.serial = SerialExecutor.start(name, clock, new Flushing(), fatal);
        this.manual = false;
    }

    private CoreExecutor(int capacity, String name, NanoClock clock) {
        this.capacity = capacity;
        this.serial = SerialExecutor.manual(name, clock, new Flushing());
        this.manual = true;
    }

    /**
     * A core without a thread, for tests: its work runs when the test calls {@link #runUntilIdle()},
     * after moving {@code clock} to make timers due.
     */
    static CoreExecutor manual(String name, int capacity, NanoClock clock) {
        return new CoreExecutor(capacity, name, clock);
    }

    /** Manual cores only, between runs: see {@link SerialExecutor#nanosToNextTimer()}. */
    long nanosToNextTimer() {
        return serial.nanosToNextTimer();
    }

    /** Manual cores only: runs queued work and due timers on the caller's thread; see {@link SerialExecutor#runUntilIdle()}. */
    int runUntilIdle() {
        return serial.runUntilIdle();
    }

    /**
     * Runs {@code work} on the core thread and waits, at most {@code timeout}, until it calls the
     * {@code Runnable} it is given (at once, or later: once a change is durable). Not from the
     * core thread; a manual core runs its queue on the caller first. True if it was called in time.
     */
    boolean runAndWait(Consumer<Runnable> work, Duration timeout) throws InterruptedException {
        var done = new CountDownLatch(1);
        execute(() -> work.accept(done::countDown));
        if (manual) {
            serial.runUntilIdle();
        }
        return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The core's clock reading in nanoseconds: rates, timeouts and maintenance measure time with it. Any thread. */
    public long nanoTime() {
        return serial.nanoTime();
    }

    /** Hands over an outside request; false if the core is saturated or stopping (the caller refuses it). */
    public boolean offer(Runnable task) {
        return offer(task, null);
    }

    /**
     * Like {@link #offer(Runnable)}, from the thread of event loop {@code loop} (or any thread when
     * {@code loop} is null or not the caller's): the task joins the others handed over during the
     * loop's current tick and reaches the core with them at the end of the tick, in call order.
     */
    public boolean offer(Runnable task, EventLoop loop) {
        if (stopping || serial.isShutdown() || external.incrementAndGet() > capacity) {
            external.decrementAndGet();
            return false;
        }
        execute(() -> {
            external.decrementAndGet();
            task.run();
        }, loop);
        return true;
    }

    /** Runs a continuation of already-admitted work on the core thread. Any thread; never blocks. */
    public void execute(Runnable task) {
        serial.execute(task);
    }

    /**
     * Like {@link #execute(Runnable)}, in call order with what {@link #offer(Runnable, EventLoop)}
     * handed over on the same loop during its current tick.
     */
    public void execute(Runnable task, EventLoop loop) {
        if (loop == null || !loop.inLoop()) {
            execute(task);
        } else {
            inbox(loop).add(task);
        }
    }

    private Inbox inbox(EventLoop loop) {
        Inbox in = inboxes.get();
        if (in == null) {
            in = new Inbox(loop);
            inboxes.set(in);
        }
        return in;
    }

    /** One loop thread's hand-overs of one tick; loop thread only. */
    private final class Inbox {
        private final EventLoop loop;
        private final Runnable handOver = this::handOver;
        private ArrayList<Runnable> tasks = new ArrayList<>();

        Inbox(EventLoop loop) {
            this.loop = loop;
        }

        void add(Runnable task) {
            if (tasks.isEmpty()) {
                loop.runAtEndOfTick(handOver);
            }
            tasks.add(task);
        }

        /** Scheduled by the first {@link #add} of a tick, so there is always something to hand over. */
        private void handOver() {
            var batch = tasks;
            tasks = new ArrayList<>(Math.max(8, batch.size()));
            serial.execute(new Batch(batch));
        }
    }

    /** Tasks of one loop tick, run in order; one that throws does not stop the others. */
    private record Batch(ArrayList<Runnable> tasks) implements Runnable {
        @Override
        public void run() {
            for (int i = 0, n = tasks.size(); i < n; i++) {
                try {
                    tasks.get(i).run();
                } catch (RuntimeException e) {
                    LOG.error(e, "core_task_failed");
                }
            }
        }
    }

    /**
     * Like {@link #execute}, and the frames queued so far leave for the event loops right after
     * {@code task} instead of up to {@link #FLUSH_EVERY} tasks later: for work whose replies
     * someone is timing, such as the acknowledgements and pushes of a group commit.
     */
    public void executeThenFlush(Runnable task) {
        serial.execute(new FlushAfter(task));
    }

    /** A task after which the send batch is flushed. */
    private record FlushAfter(Runnable task) implements Runnable {
        @Override
        public void run() {
            task.run();
        }
    }

    /** Runs {@code task} on the core thread after {@code delay} on the core's clock. Any thread; never blocks. */
    public Cancellable schedule(Duration delay, Runnable task) {
        return serial.schedule(delay, task);
    }

    /** Runs {@code task} on the core thread every {@code period}, from the end of one run to the next. */
    public Cancellable every(Duration period, Runnable task) {
        return serial.every(period, task);
    }

    /**
     * Runs {@code hook} on the core thread right after each hand-off of the frames queued by the
     * tasks before it. The journal hands its records to the store there, so a push a task queued
     * reaches its event loop before the store's thread competes for the CPU.
     */
    void afterFlush(Runnable hook) {
        afterFlush = hook;
    }

    public boolean inCore() {
        return serial.inExecutor();
    }

    public int queued() {
        return serial.queued();
    }

    /**
     * Frames this thread sends to connections wait in a {@link SendBatch} and reach the event
     * loops in one hand-off when the queue runs dry, after {@link #FLUSH_EVERY} tasks, or right
     * after a task queued with {@link #executeThenFlush}: a burst
     * of work (a group commit's messages fanned out) then leaves each connection as one Noise
     * message and one write rather than one per message. Core thread only.
     */
    private final class Flushing implements SerialExecutor.Hooks {
        private SendBatch batch;
        private int sinceFlush;

        @Override
        public void enter() {
            batch = SendBatch.open();
        }

        @Override
        public void afterTask(Runnable task) {
            if (++sinceFlush >= FLUSH_EVERY || task instanceof FlushAfter) {
                flush();
            }
        }

        @Override
        public void idle() {
            flush();
        }

        @Override
        public void exit() {
            flush();
            batch.close();
            batch = null;
        }

        /** Hands the queued frames to the loops, then runs the after-flush hook (the journal's hand-off). */
        private void flush() {
            sinceFlush = 0;
            batch.flush();
            try {
                afterFlush.run();
            } catch (RuntimeException e) {
                LOG.error(e, "core_task_failed");
            }
        }
    }

    /**
     * Refuses new outside work, runs everything already queued, then stops; waits up to
     * {@code timeout} for that. Call from a thread other than the core thread.
     */
    public boolean shutdown(Duration timeout) throws InterruptedException {
        stopping = true;
        return serial.shutdown(timeout);
    }

    @Override
    public void close() {
        try {
            shutdown(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
