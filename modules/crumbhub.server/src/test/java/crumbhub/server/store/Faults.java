package crumbhub.server.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shared fault switches for every {@link FaultyFileChannel} opened through {@link #opener()}.
 * Public so that server-level tests can give a whole server a failing disk.
 */
public final class Faults {

    /** Bytes that may still be written before the "disk" is full. */
    public final AtomicLong writeBudget = new AtomicLong(Long.MAX_VALUE);
    public volatile boolean failForce;
    volatile boolean failTruncate;
    /** While non-null and closed, every force waits (at most 10 s) for it to open. */
    volatile CountDownLatch forceGate;
    final AtomicLong forces = new AtomicLong();
    private final AtomicLong failedForces = new AtomicLong();
    private final Map<Path, Long> forcedSizes = new ConcurrentHashMap<>();
    private final Map<Path, Long> largestGrowth = new ConcurrentHashMap<>();

    /** Forces that failed because of {@link #failForce}, so far. */
    public long failedForces() {
        return failedForces.get();
    }

    public StoreOptions.ChannelOpener opener() {
        return (path, options) -> new FaultyFileChannel(FileChannel.open(path, options), path, this);
    }

    /** Size {@code path} had at its last successful force, or 0. */
    long forcedSize(Path path) {
        return forcedSizes.getOrDefault(path, 0L);
    }

    int reserve(int wanted) throws IOException {
        while (true) {
            long budget = writeBudget.get();
            if (budget <= 0) {
                throw new IOException("No space left on device (injected)");
            }
            int allowed = (int) Math.min(wanted, budget);
            if (writeBudget.compareAndSet(budget, budget - allowed)) {
                return allowed;
            }
        }
    }

    void refund(int unused) {
        if (unused > 0) {
            writeBudget.addAndGet(unused);
        }
    }

    void beforeForce() throws IOException {
        var gate = forceGate;
        if (gate != null) {
            try {
                if (!gate.await(10, TimeUnit.SECONDS)) {
                    throw new IOException("force gate was not opened within 10 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted at the force gate", e);
            }
        }
        if (failForce) {
            failedForces.incrementAndGet();
            throw new IOException("Input/output error (injected on force)");
        }
    }

    void forced(Path path, long size) {
        forces.incrementAndGet();
        Long before = forcedSizes.put(path, size);
        if (before != null) {
            largestGrowth.merge(path, size - before, Math::max);
        }
    }

    /** The most {@code path} grew from one successful force to the next, or 0. */
    long largestGrowth(Path path) {
        return largestGrowth.getOrDefault(path, 0L);
    }

    void beforeTruncate() throws IOException {
        if (failTruncate) {
            throw new IOException("Input/output error (injected on truncate)");
        }
    }
}
