package crumbhub.server.store;

import static crumbhub.server.store.StoreFixtures.Collected;
import static crumbhub.server.store.StoreFixtures.Done;
import static crumbhub.server.store.StoreFixtures.appendAll;
import static crumbhub.server.store.StoreFixtures.bytes;
import static crumbhub.server.store.StoreFixtures.offsetOf;
import static crumbhub.server.store.StoreFixtures.record;
import static crumbhub.server.store.StoreFixtures.reopen;
import static crumbhub.server.store.StoreFixtures.segments;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventStoreTest {

    @TempDir
    Path dir;

    @Test
    void appendedRecordsAreReplayedExactlyAfterReopen() throws Exception {
        var written = new ArrayList<byte[]>();
        written.add(new byte[0]);
        written.add(bytes("hello"));
        written.add(new byte[] {0, 0, 0, 0, (byte) 0xff});
        for (int i = 0; i < 50; i++) {
            written.add(record("r", i, 1 + i * 37 % 900));
        }
        try (var store = EventStore.open(dir, StoreOptions.defaults(), new Collected())) {
            appendAll(store, written);
        }

        var replayed = reopen(dir, StoreOptions.defaults());

        assertThat(replayed.snapshotCalls).isZero();
        assertThat(replayed.records).containsExactlyElementsOf(written);
    }

    @Test
    void anEmptyDirectoryOpensAsAnEmptyLogWithOneSegment() throws Exception {
        var collected = new Collected();
        try (var store = EventStore.open(dir.resolve("fresh"), StoreOptions.defaults(), collected)) {
            assertThat(store.stats().nextSeq()).isZero();
        }
        assertThat(collected.records).isEmpty();
        assertThat(segments(dir.resolve("fresh"))).extracting(p -> p.getFileName().toString())
                .containsExactly("log-00000000000000000000.seg");
    }

    @Test
    void reopeningContinuesTheLogWhereItEnded() throws Exception {
        for (int round = 0; round < 3; round++) {
            try (var store = EventStore.open(dir, StoreOptions.defaults(), new Collected())) {
                appendAll(store, List.of(record("round" + round, 0, 10), record("round" + round, 1, 10)));
            }
        }
        assertThat(reopen(dir, StoreOptions.defaults()).strings()).containsExactly(
                "round0-0..", "round0-1..", "round1-0..", "round1-1..", "round2-0..", "round2-1..");
    }

    @Test
    void callbacksRunInAppendOrderOnlyAfterTheirRecordWasForced() throws Exception {
        var faults = new Faults();
        int size = 100;
        int count = 300;
        var order = Collections.synchronizedList(new ArrayList<Integer>());
        var notYetForced = Collections.synchronizedList(new ArrayList<Integer>());
        var last = new Done();
        Path segment;
        try (var store = EventStore.open(dir, StoreOptions.defaults().withOpener(faults.opener()), new Collected())) {
            segment = segments(dir).getFirst();
            for (int i = 0; i < count; i++) {
                int index = i;
                store.append(record("r", i, size), failure -> {
                    assertThat(failure).isNull();
                    order.add(index);
                    if (faults.forcedSize(segment) < offsetOf(index + 1, size)) {
                        notYetForced.add(index);
                    }
                    if (index == count - 1) {
                        last.accept(null);
                    }
                });
            }
            last.awaitSuccess();
            assertThat(store.stats().batches()).isBetween(1L, (long) count);
        }
        assertThat(order).containsExactlyElementsOf(IntStream.range(0, count).boxed().toList());
        assertThat(notYetForced).isEmpty();
    }

    @Test
    void callbacksRunOnTheCommitThread() throws Exception {
        try (var store = EventStore.open(dir, StoreOptions.defaults(), new Collected())) {
            var done = new Done();
            store.append(bytes("x"), done);
            done.awaitSuccess();
            assertThat(done.thread.getName()).isEqualTo("crumbhub-store-commit");
        }
    }

    @Test
    void closeMakesEverythingPendingDurableBeforeReturning() throws Exception {
        var dones = new ArrayList<Done>();
        var store = EventStore.open(dir, StoreOptions.defaults(), new Collected());
        for (int i = 0; i < 500; i++) {
            var done = new Done();
            dones.add(done);
            store.append(record("c", i, 64), done);
        }
        store.close();

        assertThat(dones).allSatisfy(done -> assertThat(done.future).isCompletedWithValue(null));
        assertThat(reopen(dir, StoreOptions.defaults()).records).hasSize(500);
    }

    @Test
    void appendAfterCloseIsRefusedOnTheCallingThread() throws Exception {
        var store = EventStore.open(dir, StoreOptions.defaults(), new Collected());
        store.close();
        store.close();
        var done = new Done();
        store.append(bytes("late"), done);

        assertThat(done.future).isDone();
        assertThat(done.await().kind()).isEqualTo(StoreException.Kind.CLOSED);
        assertThat(done.thread).isSameAs(Thread.currentThread());
    }

    @Test
    void aRecordOverTheLimitIsRefusedAndNotStored() throws Exception {
        var options = StoreOptions.defaults().withMaxRecordBytes(1000);
        try (var store = EventStore.open(dir, options, new Collected())) {
            var tooLarge = new Done();
            store.append(new byte[1001], tooLarge);
            assertThat(tooLarge.await().kind()).isEqualTo(StoreException.Kind.TOO_LARGE);
            appendAll(store, List.of(new byte[1000]));
        }
        assertThat(reopen(dir, options).records).hasSize(1).allSatisfy(r -> assertThat(r).hasSize(1000));
    }

    @Test
    void aFullQueueFailsFastWithBusyInsteadOfBlocking() throws Exception {
        var faults = new Faults();
        var gate = new CountDownLatch(1);
        var options = StoreOptions.defaults().withOpener(faults.opener()).withMaxRecordBytes(1024)
                .withQueueBytes(4096);
        var store = EventStore.open(dir, options, new Collected());
        try (store) {
            faults.forceGate = gate;
            var accepted = new ArrayList<Done>();
            Done busy = null;
            for (int i = 0; i < 100 && busy == null; i++) {
                var done = new Done();
                store.append(record("q", i, 100), done);
                if (done.future.isDone()) {
                    busy = done;
                } else {
                    accepted.add(done);
                }
            }
            assertThat(busy).as("an append was refused").isNotNull();
            assertThat(busy.await().kind()).isEqualTo(StoreException.Kind.BUSY);
            assertThat(busy.await()).hasMessageContaining("busy");
            assertThat(busy.thread).isSameAs(Thread.currentThread());
            assertThat(accepted).hasSizeBetween(4096 / 108 - 1, 4096 / 108);
            assertThat(store.stats().rejected()).isEqualTo(1);

            gate.countDown();
            accepted.forEach(Done::awaitSuccess);
            faults.forceGate = null;
            appendAll(store, List.of(bytes("after")));
        }
        assertThat(store.stats().queuedBytes()).isZero();
        assertThat(reopen(dir, StoreOptions.defaults()).records).hasSize(4096 / 108 + 1);
    }

    @Test
    void segmentsRollAtTheConfiguredSizeAndReplayAcrossThem() throws Exception {
        var options = StoreOptions.defaults().withSegmentBytes(1024);
        var written = IntStream.range(0, 100).mapToObj(i -> record("s", i, 100)).toList();
        try (var store = EventStore.open(dir, options, new Collected())) {
            appendAll(store, written);
            assertThat(store.stats().segments()).isEqualTo(12);
        }
        var files = segments(dir);
        int perSegment = (1024 - RecordFormat.SEGMENT_HEADER_BYTES) / 108;
        assertThat(files).hasSize(12);
        for (int i = 0; i < files.size(); i++) {
            assertThat(files.get(i).getFileName().toString()).isEqualTo(LogFiles.segmentName((long) i * perSegment));
            assertThat(Files.size(files.get(i))).isLessThanOrEqualTo(1024);
        }
        assertThat(reopen(dir, options).records).containsExactlyElementsOf(written);
    }

    @Test
    void aRecordLargerThanASegmentGetsASegmentOfItsOwn() throws Exception {
        var options = StoreOptions.defaults().withSegmentBytes(1024);
        var written = List.of(record("small", 0, 10), record("big", 1, 5000), record("small", 2, 10));
        try (var store = EventStore.open(dir, options, new Collected())) {
            appendAll(store, written);
        }
        assertThat(segments(dir)).extracting(p -> p.getFileName().toString())
                .containsExactly(LogFiles.segmentName(0), LogFiles.segmentName(1), LogFiles.segmentName(2));
        assertThat(reopen(dir, options).records).containsExactlyElementsOf(written);
    }

    @Test
    void aSecondOpenOfTheSameDirectoryIsRefused() throws Exception {
        try (var store = EventStore.open(dir, StoreOptions.defaults(), new Collected())) {
            assertThatThrownBy(() -> EventStore.open(dir, StoreOptions.defaults(), new Collected()))
                    .isInstanceOfSatisfying(StoreException.class,
                            e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.IN_USE));
            appendAll(store, List.of(bytes("still works")));
        }
        assertThat(reopen(dir, StoreOptions.defaults()).strings()).containsExactly("still works");
    }

    @Test
    void aThrowingCallbackDoesNotStopTheCommitThread() throws Exception {
        try (var store = EventStore.open(dir, StoreOptions.defaults(), new Collected())) {
            store.append(bytes("one"), failure -> {
                throw new IllegalStateException("callback bug");
            });
            appendAll(store, List.of(bytes("two")));
        }
        assertThat(reopen(dir, StoreOptions.defaults()).strings()).containsExactly("one", "two");
    }

    @Test
    void statsCountAppendsForcesBatchesAndBytesOnDisk() throws Exception {
        var store = EventStore.open(dir, StoreOptions.defaults(), new Collected());
        try (store) {
            appendAll(store, IntStream.range(0, 40).mapToObj(i -> record("m", i, 92)).toList());
            var stats = store.stats();

            assertThat(stats.appends()).isEqualTo(40);
            assertThat(stats.nextSeq()).isEqualTo(40);
            assertThat(stats.records()).isEqualTo(40);
            assertThat(stats.failed()).isZero();
            assertThat(stats.bytesWritten()).isEqualTo(40 * 100);
            assertThat(stats.fsyncs()).isEqualTo(stats.batches()).isBetween(1L, 40L);
            assertThat(stats.batchRecords().sum()).isEqualTo(40);
            assertThat(stats.batchRecords().count()).isEqualTo(stats.batches());
            assertThat(stats.lastFsyncNanos()).isPositive();
            assertThat(stats.fsyncNanos().quantile(0.99)).isGreaterThanOrEqualTo(stats.fsyncNanos().quantile(0.5));
            assertThat(stats.fsyncNanos().buckets().getLast().upperBound()).isEqualTo(Long.MAX_VALUE);
            assertThat(stats.fsyncNanos().buckets().getLast().cumulativeCount()).isEqualTo(stats.fsyncs());
        }
        // After close, when the commit thread is done with the file (preallocation, trim).
        assertThat(store.stats().bytesOnDisk()).isEqualTo(diskBytes());
    }

    private long diskBytes() throws IOException {
        long total = 0;
        for (Path segment : segments(dir)) {
            total += Files.size(segment);
        }
        return total;
    }
}
