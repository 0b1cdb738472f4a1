package crumbhub.server.store;

import static crumbhub.server.store.StoreFixtures.Collected;
import static crumbhub.server.store.StoreFixtures.Done;
import static crumbhub.server.store.StoreFixtures.appendAll;
import static crumbhub.server.store.StoreFixtures.record;
import static crumbhub.server.store.StoreFixtures.reopen;
import static crumbhub.server.store.StoreFixtures.segments;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Disk full and I/O errors, simulated by {@link Faults} under real files. */
class WriteFailureTest {

    private static final int SIZE = 100;

    @TempDir
    Path dir;

    private final Faults faults = new Faults();
    /** Nine 100-byte records per segment, so a full disk also hits segment creation. */
    private final StoreOptions options = StoreOptions.defaults().withSegmentBytes(1024).withOpener(faults.opener());

    private static List<byte[]> records(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> record("w", i, SIZE)).toList();
    }

    /** Appends one record at a time, waiting for each; returns the failures (null for success). */
    private static List<StoreException> appendEach(EventStore store, List<byte[]> records) {
        var outcomes = new ArrayList<StoreException>();
        for (byte[] record : records) {
            var done = new Done();
            store.append(record, done);
            outcomes.add(done.await());
        }
        return outcomes;
    }

    @Test
    void aFullDiskFailsTheAffectedAppendsAndLaterAppendsSucceedOnceSpaceReturns() throws Exception {
        var durable = new ArrayList<byte[]>();
        try (var store = EventStore.open(dir, options, new Collected())) {
            appendAll(store, records(0, 20));
            durable.addAll(records(0, 20));

            faults.writeBudget.set(2 * 108 + 34);
            var outcomes = appendEach(store, records(20, 40));
            assertThat(outcomes.subList(0, 2)).containsOnlyNulls();
            assertThat(outcomes.subList(2, 20)).allSatisfy(failure -> {
                assertThat(failure.kind()).isEqualTo(StoreException.Kind.IO);
                assertThat(failure).hasMessageContaining("No space left on device");
            });
            durable.addAll(records(20, 22));
            assertThat(store.stats().failed()).isEqualTo(18);

            faults.writeBudget.set(Long.MAX_VALUE);
            appendAll(store, records(40, 60));
            durable.addAll(records(40, 60));
            assertThat(store.stats().nextSeq()).isEqualTo(42);
        }
        assertNoBytesAfterTheLastRecord();
        assertThat(reopen(dir, StoreOptions.defaults()).records).containsExactlyElementsOf(durable);
    }

    @Test
    void aDiskThatFillsWhileABatchIsWrittenFailsTheWholeBatchOnly() throws Exception {
        try (var store = EventStore.open(dir, options.withSegmentBytes(1 << 20), new Collected())) {
            appendAll(store, records(0, 5));
            faults.writeBudget.set(1000);
            var batch = new ArrayList<Done>();
            for (byte[] record : records(5, 105)) {
                var done = new Done();
                batch.add(done);
                store.append(record, done);
            }
            var failed = batch.stream().filter(done -> done.await() != null).count();
            assertThat(failed).isPositive();
            faults.writeBudget.set(Long.MAX_VALUE);
            appendAll(store, records(200, 201));
            assertThat(store.stats().nextSeq()).isEqualTo(5 + (100 - failed) + 1);
        }
        assertNoBytesAfterTheLastRecord();
        var replayed = reopen(dir, StoreOptions.defaults()).records;
        assertThat(replayed.subList(0, 5)).containsExactlyElementsOf(records(0, 5));
        assertThat(replayed.getLast()).isEqualTo(records(200, 201).getFirst());
    }

    @Test
    void aFailedForceFailsTheBatchAndItsBytesAreCutFromTheSegment() throws Exception {
        try (var store = EventStore.open(dir, options, new Collected())) {
            appendAll(store, records(0, 4));
            faults.failForce = true;
            assertThat(appendEach(store, records(4, 7))).allSatisfy(
                    failure -> assertThat(failure.kind()).isEqualTo(StoreException.Kind.IO));
            faults.failForce = false;
            appendAll(store, records(7, 9));
        }
        assertNoBytesAfterTheLastRecord();
        var expected = new ArrayList<>(records(0, 4));
        expected.addAll(records(7, 9));
        assertThat(reopen(dir, StoreOptions.defaults()).records).containsExactlyElementsOf(expected);
    }

    @Test
    void whileTheSegmentCannotBeCutBackEveryAppendFailsAndNoneIsLost() throws Exception {
        try (var store = EventStore.open(dir, options, new Collected())) {
            appendAll(store, records(0, 3));
            faults.failForce = true;
            faults.failTruncate = true;
            assertThat(appendEach(store, records(3, 4))).doesNotContainNull();
            faults.failForce = false;
            assertThat(appendEach(store, records(4, 6))).as("the leftover bytes must go before writing again")
                    .doesNotContainNull();
            faults.failTruncate = false;
            appendAll(store, records(6, 8));
        }
        assertNoBytesAfterTheLastRecord();
        var expected = new ArrayList<>(records(0, 3));
        expected.addAll(records(6, 8));
        assertThat(reopen(dir, StoreOptions.defaults()).records).containsExactlyElementsOf(expected);
    }

    /** Every segment is exactly header plus whole records: a clean open truncates nothing. */
    private void assertNoBytesAfterTheLastRecord() throws Exception {
        var sizes = new ArrayList<Long>();
        for (Path segment : segments(dir)) {
            sizes.add(Files.size(segment));
        }
        reopen(dir, StoreOptions.defaults());
        var after = new ArrayList<Long>();
        for (Path segment : segments(dir)) {
            after.add(Files.size(segment));
            assertThat((Files.size(segment) - RecordFormat.SEGMENT_HEADER_BYTES) % (SIZE + 8)).isZero();
        }
        assertThat(after).isEqualTo(sizes);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }
    }
}
