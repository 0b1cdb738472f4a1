package crumbhub.wire.loop;

import crumbhub.wire.log.Log;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One thread, a task queue and timers from an injected {@link NanoClock}: the single-threaded
 * executor of everything that owns state without a selector (the server's core, the client's
 * session engine). Tasks run in submission order; timers run on the same thread once the clock
 * reaches their deadline, so a task and a timer never race. Like {@link EventLoop}, the thread
 * blocks only while it waits for work, and timers need no thread of their own.
 *
 * <p>Two modes. {@link #start} runs the tasks on a new daemon thread. {@link #manual} starts no
 * thread: a test moves its clock (for example {@code crumbhub.testkit.ManualTime}) and calls
 * {@link #runUntilIdle()}, which runs on the caller's thread every queued task and every timer
 * due by then, so a test of timeouts and rates neither sleeps nor depends on the machine's speed.
 *
 * <p>A task or timer that throws an {@link Exception} is logged and the thread carries on. An
 * {@link Error} stops the executor: queued work is dropped and the error goes to the
 * {@link FatalErrors.Handler} (in manual mode it propagates to the caller instead).
 *
 * <pre>
 *  RUNNING --shutdown()--> STOPPING --queued tasks run--> TERMINATED
 *     \--Error------------------------------------------> TERMINATED (queue dropped)
 * </pre>
 * Timers due after shutdown began do not run; {@link #execute} still queues (a task queued
 * after termination never runs).
 */
public final class SerialExecutor implements Executor {
    private static final Log LOG = Log.get(SerialExecutor.class.getName());
    private static final Runnable STOP = () -> { };
    /** Tasks run between two looks at the timers while the queue stays busy: bounds a timer's lateness under load. */
    static final int TASKS_PER_TIMER_CHECK = 64;
    /** Tasks and timers {@link #runUntilIdle()} runs at most: a self-feeding task fails the test instead of hanging it. */
    private static final int MANUAL_RUN_LIMIT = 10_000_000;

    /**
     * What the owner of the executor does around its tasks, on the executor's thread. The core
     * gathers the frames of many tasks in one send batch and flushes it at these points.
     */
    public interface Hooks {
        /** The thread begins running tasks: once when started, or at each {@link #runUntilIdle()}. */
        default void enter() { }

        /** After each task or timer, also one that threw. */
        default void afterTask(Runnable task) { }

        /** The queue ran dry; the thread is about to wait. */
        default void idle() { }

        /** The thread stops running tasks (the counterpart of {@link #enter()}). */
        default void exit() { }
    }

    /** No hooks. */
    public static final Hooks NO_HOOKS = new Hooks() { };

    private final String name;
    private final NanoClock clock;
    private final Hooks hooks;
    private final FatalErrors.Handler fatal;
    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    /** Owned by the executor's thread (in manual mode: by the thread inside {@link #runUntilIdle()}). */
    private final TimerQueue timers = new TimerQueue();
    private final Thread thread;
    private volatile Thread owner;
    private volatile boolean stopping;

    private SerialExecutor(String name, NanoClock clock, Hooks hooks, FatalErrors.Handler fatal, boolean threaded) {
        this.name = Objects.requireNonNull(name);
        this.clock = Objects.requireNonNull(clock);
        this.hooks = Objects.requireNonNull(hooks);
        this.fatal = Objects.requireNonNull(fatal);
        this.thread = threaded ? Thread.ofPlatform().name(name).daemon(true).unstarted(this::run) : null;
        this.owner = thread;
    }

    /** Starts an executor on a new daemon thread named {@code name}. */
    public static SerialExecutor start(String name, NanoClock clock, Hooks hooks, FatalErrors.Handler fatal) {
        var e = new SerialExecutor(name, clock, hooks, fatal, true);
        e.thread.start();
        return e;
    }

    /** An executor without a thread: tasks and due timers run only inside {@link #runUntilIdle()}. */
    public static SerialExecutor manual(String name, NanoClock clock, Hooks hooks) {
        return new SerialExecutor(name, clock, hooks, FatalErrors.STOP_THREAD, false);
    }

    public String name() {
        return name;
    }

    /** This executor's clock reading, in nanoseconds; any thread. */
    public long nanoTime() {
        return clock.nanoTime();
    }

    /** Whether the caller is the thread that runs this executor's tasks now. */
    public boolean inExecutor() {
        return Thread.currentThread() == owner;
    }

    /** Queues {@code task}; any thread, never blocks. */
    @Override
    public void execute(Runnable task) {
        queue.add(Objects.requireNonNull(task));
    }

    /** Tasks waiting, timers not counted. */
    public int queued() {
        return queue.size();
    }

    /** Whether {@link #shutdown} was called or an Error stopped the executor. */
    public boolean isShutdown() {
        return stopping;
    }

    /** Runs {@code task} on the executor's thread once {@code delay} passed on its clock. Any thread. */
    public Cancellable schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(task);
        var t = new TimerQueue.Task(clock.nanoTime() + Math.max(0, delay.toNanos()), task);
        addTimer(t);
        return t;
    }

    /** Runs {@code task} on the executor's thread every {@code period}, measured from the end of the previous run. */
    public Cancellable every(Duration period, Runnable task) {
        var p = new Periodic(Math.max(1, period.toNanos()), Objects.requireNonNull(task));
        p.arm();
        return p;
    }

    private void addTimer(TimerQueue.Task t) {
        if (inExecutor()) {
            timers.add(t);
        } else {
            execute(() -> timers.add(t));
        }
    }

    /** A repeating timer: each run arms the next one; cancelling stops the chain. */
    private final class Periodic implements Cancellable {
        private final long period;
        private final Runnable task;
        private volatile boolean cancelled;
        private volatile TimerQueue.Task next;

        Periodic(long period, Runnable task) {
            this.period = period;
            this.task = task;
        }

        void arm() {
            if (!cancelled) {
                next = new TimerQueue.Task(clock.nanoTime() + period, this::fire);
                addTimer(next);
            }
        }

        private void fire() {
            try {
                task.run();
            } finally {
                arm();
            }
        }

        @Override
        public boolean cancel() {
            if (cancelled) {
                return false;
            }
            cancelled = true;
            var n = next;
            if (n != null) {
                n.cancel();
            }
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }

    // ---- threaded mode ----

    private void run() {
        try {
            hooks.enter();
            loop();
            hooks.exit();
        } catch (Error e) {
            // nothing more of the owner's runs, not even its exit hook: the error may have struck mid-change
            stopping = true;
            queue.clear();
            timers.clear();
            FatalErrors.report(fatal, e);
        }
    }

    private void loop() {
        int sinceTimers = 0;
        while (true) {
            Runnable task = queue.poll();
            if (task == null || ++sinceTimers >= TASKS_PER_TIMER_CHECK) {
                sinceTimers = 0;
                runDueTimers();
                if (task == null) {
                    task = queue.poll();
                }
            }
            if (task == null) {
                hooks.idle();
                task = await();
                if (task == null) {
                    continue; // a timer is due, or a spurious return
                }
            }
            if (task == STOP) {
                timers.clear();
                return;
            }
            runOne(task);
        }
    }

    /** Waits for a task until the next timer's deadline; null if the deadline came first. */
    private Runnable await() {
        try {
            if (timers.isEmpty()) {
                return queue.take();
            }
            long delay = timers.nextDeadline() - clock.nanoTime();
            return delay <= 0 ? null : queue.poll(delay, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return STOP;
        }
    }

    private void runDueTimers() {
        if (timers.isEmpty()) {
            return;
        }
        long now = clock.nanoTime();
        TimerQueue.Task t;
        while (!stopping && (t = timers.pollExpired(now)) != null) {
            if (t.start()) {
                runOne(t.action());
            }
        }
    }

    private void runOne(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error(e, "task_failed", "executor", name);
        } finally {
            hooks.afterTask(task);
        }
    }

    /**
     * Stops after the tasks queued so far: timers are dropped, queued tasks run, then the thread
     * ends. Any thread (also the executor's own); never blocks. Tasks queued afterwards never run.
     */
    public void shutdown() {
        stopping = true;
        if (thread != null) {
            queue.add(STOP);
        }
    }

    /**
     * Waits up to {@code timeout} for the thread to end after {@link #shutdown()}; not from the
     * executor's own thread. A manual executor runs what is queued on the caller. True if ended.
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        if (thread == null) {
            runUntilIdle();
            return true;
        }
        thread.join(timeout);
        return !thread.isAlive();
    }

    /** {@link #shutdown()}, then {@link #awaitTermination}. */
    public boolean shutdown(Duration timeout) throws InterruptedException {
        shutdown();
        return awaitTermination(timeout);
    }

    // ---- manual mode ----

    /**
     * Manual mode only: runs on the calling thread every queued task and every timer due at the
     * clock's current reading, also those they queue or schedule, until none is left. Returns how
     * many ran. A test advances its clock first to make timers due.
     */
    public int runUntilIdle() {
        if (thread != null) {
            throw new IllegalStateException(name + " runs on its own thread");
        }
        owner = Thread.currentThread();
        int ran = 0;
        hooks.enter();
        try {
            while (true) {
                Runnable task = queue.poll();
                if (task == null) {
                    TimerQueue.Task t = stopping ? null : timers.pollExpired(clock.nanoTime());
                    if (t == null) {
                        hooks.idle();
                        if (queue.isEmpty()) {
                            return ran;
                        }
                        continue;
                    }
                    task = t.start() ? t.action() : null;
                    if (task == null) {
                        continue;
                    }
                }
                if (++ran > MANUAL_RUN_LIMIT) {
                    throw new IllegalStateException(name + " did not become idle after " + MANUAL_RUN_LIMIT + " tasks");
                }
                runOne(task);
            }
        } finally {
            hooks.exit();
            owner = null;
        }
    }

    /**
     * Manual mode only, between runs: nanoseconds from the clock's reading to the earliest
     * pending timer (zero if it is due), or -1 without one. A test that waits for an outcome a
     * timer brings moves its clock by this much instead of sleeping.
     */
    public long nanosToNextTimer() {
        if (thread != null) {
            throw new IllegalStateException(name + " runs on its own thread");
        }
        if (timers.isEmpty()) {
            return -1;
        }
        return Math.max(0, timers.nextDeadline() - clock.nanoTime());
    }

    @Override
    public String toString() {
        return "SerialExecutor[" + name + "]";
    }
}
