package crumbhub.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Starts many asynchronous setup steps (connect, authenticate, join) with at most {@code limit}
 * in flight, and waits for all of them. A server that hashes passwords or finishes handshakes
 * at its own pace is thus never handed more work than it can finish before its own timeouts
 * (protocol §1: 30 s to authenticate). Runs on the orchestrating thread, which it blocks.
 */
final class Parallel {
    private Parallel() {}

    /**
     * Runs {@code step(i)} for i in [0, count), at most {@code limit} at a time, every one
     * finished before {@code deadlineNanos}.
     *
     * @param what   a noun phrase for errors ("connecting 1000 clients")
     * @param onDone called (on whatever thread completes the step) after each success, for progress
     * @return the results in index order
     * @throws BenchException naming the first failure and how many failed, or the timeout
     */
    static <T> List<T> run(int count, int limit, long deadlineNanos, String what, IntFunction<CompletableFuture<T>> step,
            Runnable onDone) throws BenchException {
        var permits = new Semaphore(limit);
        var futures = new ArrayList<CompletableFuture<T>>(count);
        try {
            for (int i = 0; i < count; i++) {
                if (!permits.tryAcquire(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    throw new BenchException(what + " did not finish in time (" + i + " of " + count
                            + " started); raise --setup-timeout or lower --clients");
                }
                CompletableFuture<T> f;
                try {
                    f = step.apply(i);
                } catch (RuntimeException e) {
                    f = CompletableFuture.failedFuture(e);
                }
                f.whenComplete((v, e) -> {
                    permits.release();
                    if (e == null) {
                        onDone.run();
                    }
                });
                futures.add(f);
                if (f.isCompletedExceptionally()) {
                    break; // fail fast: the first failure usually explains them all
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
        var out = new ArrayList<T>(count);
        int failed = 0;
        BenchException first = null;
        for (var f : futures) {
            try {
                out.add(LoadContext.await(f, deadlineNanos, what + " did not finish"));
            } catch (BenchException e) {
                failed++;
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw new BenchException(what + ": " + failed + " failed; the first: " + first.getMessage(), first);
        }
        if (out.size() < count) {
            throw new BenchException(what + " stopped early");
        }
        return out;
    }
}
