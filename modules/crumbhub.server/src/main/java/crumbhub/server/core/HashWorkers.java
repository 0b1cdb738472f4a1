package crumbhub.server.core;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The small bounded pool where PBKDF2 runs (docs/design.md §6: never on a loop or the core thread).
 * At most {@link #QUEUE} hashes wait; beyond that {@link #submit} refuses and the caller answers
 * {@code throttled}, so a login flood costs bounded memory and CPU.
 */
final class HashWorkers implements AutoCloseable {
    /** Waiting hashes: at ~0.3 s each, a longer queue would only make clients time out. */
    static final int QUEUE = 64;

    /** Null when hashing {@link #inline()}. */
    private final ThreadPoolExecutor pool;

    private HashWorkers() {
        pool = null;
    }

    /**
     * Hashes on the caller's thread, for tests of a manual core: a password check then finishes
     * within the core's run instead of on another thread's time.
     */
    static HashWorkers inline() {
        return new HashWorkers();
    }

    HashWorkers(int threads) {
        var n = new AtomicInteger();
        pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE),
                r -> Thread.ofPlatform().name("crumbhub-hash-" + n.incrementAndGet()).daemon(true).unstarted(r));
    }

    /** Runs {@code task} on a hash thread; false if the pool is saturated or closed. */
    boolean submit(Runnable task) {
        if (pool == null) {
            task.run();
            return true;
        }
        try {
            pool.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
