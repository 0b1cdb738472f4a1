package crumbhub.server.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Throughput of the file store with 1, 4 and 16 appender threads: appends per second and the
 * group-commit batch sizes they produce. Not a unit test. Each thread keeps {@code window}
 * appends in flight: window 1 is a client waiting for each ack, a larger window is a busy
 * event loop.
 *
 * <pre>
 * java -cp modules/crumbhub.server/target/classes:modules/crumbhub.server/target/test-classes \
 *      crumbhub.server.store.StoreThroughput [seconds per step = 3] [record bytes = 256] [directory]
 * </pre>
 */
public final class StoreThroughput {

    private StoreThroughput() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        int recordBytes = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        Path parent = args.length > 2 ? Path.of(args[2]) : Path.of(System.getProperty("java.io.tmpdir"));
        System.out.printf("record %d bytes, %.1f s per step, directory %s%n", recordBytes, seconds, parent);
        System.out.printf("%7s %6s %12s %9s %10s %10s %10s %12s %12s%n", "threads", "window", "appends/s",
                "MB/s", "fsyncs/s", "batch avg", "batch p99", "fsync p50", "fsync p99");
        for (int window : new int[] {1, 64}) {
            for (int threads : new int[] {1, 4, 16}) {
                run(parent, threads, window, recordBytes, seconds);
            }
        }
    }

    private static void run(Path parent, int threads, int window, int recordBytes, double seconds)
            throws Exception {
        var dir = Files.createTempDirectory(parent, "crumbhub-store-throughput-");
        try {
            var completed = new AtomicLong();
            var failed = new AtomicLong();
            var stop = new AtomicBoolean();
            StoreStats before;
            StoreStats after;
            long elapsedNanos;
            long done;
            try (var store = EventStore.open(dir, StoreOptions.defaults(), new StoreFixtures.Collected())) {
                var workers = new ArrayList<Thread>();
                for (int t = 0; t < threads; t++) {
                    workers.add(Thread.ofPlatform().start(() -> appendUntilStopped(store, window, recordBytes,
                            completed, failed, stop)));
                }
                Thread.sleep(300); // hand-run measurement, not a test: warm-up before the measured window
                before = store.stats();
                long startCount = completed.get();
                long start = System.nanoTime();
                Thread.sleep((long) (seconds * 1000)); // the measured window: appends counted over this time
                done = completed.get() - startCount;
                elapsedNanos = System.nanoTime() - start;
                after = store.stats();
                stop.set(true);
                for (Thread worker : workers) {
                    worker.join(TimeUnit.SECONDS.toMillis(30));
                }
            }
            double elapsed = elapsedNanos / 1e9;
            long batches = after.batches() - before.batches();
            long fsyncs = after.fsyncs() - before.fsyncs();
            System.out.printf("%7d %6d %12.0f %9.2f %10.0f %10.1f %10d %10.0fµs %10.0fµs%s%n",
                    threads, window, done / elapsed, done * (recordBytes + 8.0) / elapsed / 1e6, fsyncs / elapsed,
                    batches == 0 ? 0 : (double) (after.batchRecords().sum() - before.batchRecords().sum()) / batches,
                    minus(after.batchRecords(), before.batchRecords()).quantile(0.99),
                    minus(after.fsyncNanos(), before.fsyncNanos()).quantile(0.5) / 1e3,
                    minus(after.fsyncNanos(), before.fsyncNanos()).quantile(0.99) / 1e3,
                    failed.get() > 0 ? "  (" + failed.get() + " failed)" : "");
        } finally {
            deleteTree(dir);
        }
    }

    /** The observations made between two snapshots of one histogram. */
    private static StoreStats.Histogram minus(StoreStats.Histogram later, StoreStats.Histogram earlier) {
        var buckets = new ArrayList<StoreStats.Histogram.Bucket>();
        for (int i = 0; i < later.buckets().size(); i++) {
            var bucket = later.buckets().get(i);
            buckets.add(new StoreStats.Histogram.Bucket(bucket.upperBound(),
                    bucket.cumulativeCount() - earlier.buckets().get(i).cumulativeCount()));
        }
        return new StoreStats.Histogram(buckets, later.count() - earlier.count(), later.sum() - earlier.sum());
    }

    private static void appendUntilStopped(EventStore store, int window, int recordBytes, AtomicLong completed,
                                           AtomicLong failed, AtomicBoolean stop) {
        var inFlight = new Semaphore(window);
        var record = new byte[recordBytes];
        try {
            while (!stop.get()) {
                if (!inFlight.tryAcquire(5, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("appends stopped completing");
                }
                store.append(record, failure -> {
                    if (failure == null) {
                        completed.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                    }
                    inFlight.release();
                });
            }
            inFlight.tryAcquire(window, 30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
