package crumbhub.server.store;

import static crumbhub.server.store.StoreFixtures.Collected;
import static crumbhub.server.store.StoreFixtures.TIMEOUT_SECONDS;
import static crumbhub.server.store.StoreFixtures.reopen;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrencyTest {

    private static final int THREADS = 6;
    private static final int PER_THREAD = 1500;

    @TempDir
    Path dir;

    @Test
    void concurrentAppendersHaveEveryRecordStoredOnceInCallbackOrder() throws Exception {
        var options = StoreOptions.defaults().withSegmentBytes(32 * 1024);
        var callbackOrder = new ArrayList<Long>();
        var failure = new AtomicReference<Throwable>();
        var allDone = new CountDownLatch(THREADS * PER_THREAD);
        var start = new CountDownLatch(1);
        try (var store = EventStore.open(dir, options, new Collected())) {
            var threads = new ArrayList<Thread>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    var inFlight = new Semaphore(64);
                    try {
                        start.await();
                        for (int i = 0; i < PER_THREAD; i++) {
                            long id = (long) thread << 32 | i;
                            if (!inFlight.tryAcquire(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                                throw new AssertionError("appends stopped completing");
                            }
                            store.append(encode(id, i % 7 * 50), done -> {
                                inFlight.release();
                                if (done != null) {
                                    failure.compareAndSet(null, done);
                                }
                                // callbacks run on the single commit thread: no lock needed for order
                                callbackOrder.add(id);
                                allDone.countDown();
                            });
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            start.countDown();
            assertThat(allDone.await(TIMEOUT_SECONDS * 2, TimeUnit.SECONDS)).as("all callbacks ran").isTrue();
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            }
            assertThat(failure.get()).isNull();
            var stats = store.stats();
            assertThat(stats.appends()).isEqualTo(THREADS * PER_THREAD);
            assertThat(stats.batches()).isLessThan(THREADS * PER_THREAD);
        }

        List<Long> replayed = reopen(dir, options).records.stream().map(ConcurrencyTest::decode).toList();

        assertThat(replayed).hasSize(THREADS * PER_THREAD);
        assertThat(new HashSet<>(replayed)).hasSize(THREADS * PER_THREAD);
        assertThat(replayed).isEqualTo(callbackOrder);
        for (int t = 0; t < THREADS; t++) {
            long thread = t;
            assertThat(replayed.stream().filter(id -> id >> 32 == thread).map(id -> id & 0xffffffffL).toList())
                    .as("thread %d's records keep its order", t).isSorted();
        }
    }

    private static byte[] encode(long id, int padding) {
        return ByteBuffer.allocate(8 + padding).putLong(id).array();
    }

    private static long decode(byte[] record) {
        return ByteBuffer.wrap(record).getLong();
    }
}
