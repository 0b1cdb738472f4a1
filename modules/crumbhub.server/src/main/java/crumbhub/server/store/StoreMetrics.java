package crumbhub.server.store;

import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/** The store's counters. Updated by appenders and store threads, read by {@link EventStore#stats()}. */
final class StoreMetrics {

    /** Force durations: 50 µs … 2.5 s, a 1-2.5-5 series, in nanoseconds. */
    private static final long[] FSYNC_BOUNDS_NANOS = {
        50_000, 100_000, 250_000, 500_000,
        1_000_000, 2_500_000, 5_000_000, 10_000_000, 25_000_000, 50_000_000,
        100_000_000, 250_000_000, 500_000_000, 1_000_000_000, 2_500_000_000L,
    };
    /** Records per force: powers of two up to 8192. */
    private static final long[] BATCH_BOUNDS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192};

    final LongAdder appends = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong batches = new AtomicLong();
    final AtomicLong bytesWritten = new AtomicLong();
    final AtomicLong bytesOnDisk = new AtomicLong();
    final AtomicLong lastFsyncNanos = new AtomicLong();
    final AtomicLong snapshots = new AtomicLong();
    final AtomicLong snapshotFailures = new AtomicLong();
    final AtomicLong lastSnapshotSeq = new AtomicLong(-1);
    final AtomicLong compactedSegments = new AtomicLong();
    final Buckets fsyncNanos = new Buckets(FSYNC_BOUNDS_NANOS);
    final Buckets batchRecords = new Buckets(BATCH_BOUNDS);

    /** Accounts one force of the log that made {@code records} records durable. */
    void forced(long nanos, long records) {
        lastFsyncNanos.set(nanos);
        fsyncNanos.add(nanos);
        if (records > 0) {
            batches.incrementAndGet();
            batchRecords.add(records);
        }
    }

    /** Counts per bucket (not cumulative) plus an overflow bucket; single writer, any reader. */
    static final class Buckets {
        private final long[] bounds;
        private final AtomicLongArray counts;
        private final AtomicLong sum = new AtomicLong();

        Buckets(long[] bounds) {
            this.bounds = bounds.clone();
            this.counts = new AtomicLongArray(bounds.length + 1);
        }

        void add(long value) {
            int index = 0;
            while (index < bounds.length && value > bounds[index]) {
                index++;
            }
            counts.incrementAndGet(index);
            sum.addAndGet(value);
        }

        StoreStats.Histogram snapshot() {
            var buckets = new ArrayList<StoreStats.Histogram.Bucket>(bounds.length + 1);
            long cumulative = 0;
            for (int i = 0; i <= bounds.length; i++) {
                cumulative += counts.get(i);
                long bound = i < bounds.length ? bounds[i] : Long.MAX_VALUE;
                buckets.add(new StoreStats.Histogram.Bucket(bound, cumulative));
            }
            return new StoreStats.Histogram(buckets, cumulative, sum.get());
        }
    }
}
