package crumbhub.server.core;

import crumbhub.wire.log.Log;
import crumbhub.wire.loop.EventLoop;
import crumbhub.wire.net.SendBatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one thread that owns the domain state (DESIGN §6): everything that reads or changes it
 * runs here, in submission order. Network threads hand requests over with {@link #offer},
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
 * <p>A task that throws is logged and the thread carries on: one bad request never stops the core.
 */
public final class CoreExecutor implements AutoCloseable {
    private static final Log LOG = Log.get("crumbhub.server.core");
    private static final Runnable STOP = () -> { };
    /** Tasks run between two hand-offs of queued frames at most, which bounds what batching adds to latency. */
    static final int FLUSH_EVERY = 64;

    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger external = new AtomicInteger();
    private final int capacity;
    private final Thread thread;
    private final ScheduledExecutorService timer;
    private volatile boolean stopping;
    /** Runs on this thread right after each hand-off of queued frames; set once, before work arrives. */
    private volatile Runnable afterFlush = () -> { };
    /** Per event loop thread: work handed over during its current tick, see {@link #offer(Runnable, EventLoop)}. */
    private final ThreadLocal<Inbox> inboxes = new ThreadLocal<>();

    public CoreExecutor(String name, int capacity) {
        this.capacity = capacity;
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::run);
        var t = new ScheduledThreadPoolExecutor(1, r -> Thread.ofPlatform().name(name + "-timer").daemon(true).unstarted(r));
        t.setRemoveOnCancelPolicy(true);
        t.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.timer = t;
        thread.start();
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
        if (stopping || external.incrementAndGet() > capacity) {
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
        queue.add(task);
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
            queue.add(new Batch(batch));
        }
    }

    /** Tasks of one loop tick, run in order; one that throws does not stop the others. */
    private record Batch(ArrayList<Runnable> tasks) implements Runnable {
        @Override
        public void run() {
            for (int i = 0, n = tasks.size(); i < n; i++) {
                try {
                    tasks.get(i).run();
                } catch (RuntimeException | Error e) {
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
        queue.add(new FlushAfter(task));
    }

    /** A task after which the send batch is flushed. */
    private record FlushAfter(Runnable task) implements Runnable {
        @Override
        public void run() {
            task.run();
        }
    }

    /** Runs {@code task} on the core thread after {@code delay}. Any thread; never blocks. */
    public ScheduledFuture<?> schedule(Duration delay, Runnable task) {
        return timer.schedule(() -> execute(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    }

    /** Runs {@code task} on the core thread every {@code period}. */
    public ScheduledFuture<?> every(Duration period, Runnable task) {
        long nanos = period.toNanos();
        return timer.scheduleWithFixedDelay(() -> execute(task), nanos, nanos, TimeUnit.NANOSECONDS);
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
        return Thread.currentThread() == thread;
    }

    public int queued() {
        return queue.size();
    }

    /**
     * Frames this thread sends to connections wait in a {@link SendBatch} and reach the event
     * loops in one hand-off when the queue runs dry, after {@link #FLUSH_EVERY} tasks, or right
     * after a task queued with {@link #executeThenFlush}: a burst
     * of work (a group commit's messages fanned out) then leaves each connection as one Noise
     * message and one write rather than one per message.
     */
    private void run() {
        try (SendBatch batch = SendBatch.open()) {
            int sinceFlush = 0;
            while (true) {
                Runnable task = queue.poll();
                if (task == null || sinceFlush == FLUSH_EVERY) {
                    flush(batch);
                    sinceFlush = 0;
                }
                if (task == null) {
                    try {
                        task = queue.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (task == STOP) {
                    return;
                }
                sinceFlush++;
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    LOG.error(e, "core_task_failed");
                }
                if (task instanceof FlushAfter) {
                    flush(batch);
                    sinceFlush = 0;
                }
            }
        }
    }

    /** Hands the queued frames to the loops, then runs the after-flush hook (the journal's hand-off). */
    private void flush(SendBatch batch) {
        batch.flush();
        try {
            afterFlush.run();
        } catch (RuntimeException | Error e) {
            LOG.error(e, "core_task_failed");
        }
    }

    /**
     * Refuses new outside work, runs everything already queued, then stops; waits up to
     * {@code timeout} for that. Call from a thread other than the core thread.
     */
    public boolean shutdown(Duration timeout) throws InterruptedException {
        stopping = true;
        timer.shutdownNow();
        queue.add(STOP);
        thread.join(timeout);
        return !thread.isAlive();
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
