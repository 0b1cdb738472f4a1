package crumbhub.server.store;

import static crumbhub.server.store.StoreFixtures.Collected;
import static crumbhub.server.store.StoreFixtures.Done;
import static crumbhub.server.store.StoreFixtures.appendAll;
import static crumbhub.server.store.StoreFixtures.bytes;
import static crumbhub.server.store.StoreFixtures.flipBit;
import static crumbhub.server.store.StoreFixtures.record;
import static crumbhub.server.store.StoreFixtures.reopen;
import static crumbhub.server.store.StoreFixtures.segments;
import static crumbhub.server.store.StoreFixtures.snapshots;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotTest {

    private static final int SIZE = 100;

    @TempDir
    Path dir;

    /** Nine 100-byte records per segment. */
    private final StoreOptions small = StoreOptions.defaults().withSegmentBytes(1024);

    private static List<byte[]> records(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> record("r", i, SIZE)).toList();
    }

    private static void snapshot(EventStore store, String state) {
        var done = new Done();
        store.snapshot(bytes(state), done);
        done.awaitSuccess();
    }

    private static List<String> names(List<Path> files) {
        return files.stream().map(p -> p.getFileName().toString()).toList();
    }

    @Test
    void recoveryIsTheLatestSnapshotPlusTheRecordsAfterIt() throws Exception {
        try (var store = EventStore.open(dir, small, new Collected())) {
            appendAll(store, records(0, 25));
            snapshot(store, "state@25");
            appendAll(store, records(25, 31));
        }
        var collected = reopen(dir, small);

        assertThat(collected.snapshotCalls).isEqualTo(1);
        assertThat(new String(collected.snapshot)).isEqualTo("state@25");
        assertThat(collected.records).containsExactlyElementsOf(records(25, 31));
        assertThat(names(snapshots(dir))).containsExactly(LogFiles.snapshotName(25));
    }

    @Test
    void aSnapshotCoversExactlyTheAppendsMadeBeforeIt() throws Exception {
        try (var store = EventStore.open(dir, small, new Collected())) {
            var pending = new ArrayList<Done>();
            for (byte[] record : records(0, 40)) {
                var done = new Done();
                pending.add(done);
                store.append(record, done);
            }
            var snapshotDone = new Done();
            store.snapshot(bytes("state@40"), snapshotDone);
            for (byte[] record : records(40, 47)) {
                var done = new Done();
                pending.add(done);
                store.append(record, done);
            }
            pending.forEach(Done::awaitSuccess);
            snapshotDone.awaitSuccess();
            assertThat(snapshotDone.thread.getName()).isEqualTo("crumbhub-store-snapshot");
        }
        var collected = reopen(dir, small);

        assertThat(new String(collected.snapshot)).isEqualTo("state@40");
        assertThat(collected.records).containsExactlyElementsOf(records(40, 47));
    }

    @Test
    void compactionDeletesSegmentsOlderThanTheOldestRetainedSnapshot() throws Exception {
        try (var store = EventStore.open(dir, small, new Collected())) {
            appendAll(store, records(0, 30));
            assertThat(segments(dir)).hasSize(4);

            snapshot(store, "state@30");
            assertThat(names(segments(dir))).as("only the segment holding sequence 30 and later")
                    .containsExactly(LogFiles.segmentName(27));

            appendAll(store, records(30, 60));
            snapshot(store, "state@60");
            assertThat(names(segments(dir))).as("kept from the older retained snapshot at 30")
                    .first().isEqualTo(LogFiles.segmentName(27));

            appendAll(store, records(60, 70));
            snapshot(store, "state@70");
            assertThat(names(snapshots(dir))).containsExactly(LogFiles.snapshotName(60), LogFiles.snapshotName(70));
            assertThat(names(segments(dir))).first().isEqualTo(LogFiles.segmentName(54));

            var stats = store.stats();
            assertThat(stats.snapshots()).isEqualTo(3);
            assertThat(stats.lastSnapshotSeq()).isEqualTo(70);
            assertThat(stats.compactedSegments()).isEqualTo(6);
            assertThat(stats.firstSeq()).isEqualTo(54);
            assertThat(stats.segments()).isEqualTo(segments(dir).size());
            long onDisk = 0;
            for (Path file : segments(dir)) {
                onDisk += Files.size(file);
            }
            for (Path file : snapshots(dir)) {
                onDisk += Files.size(file);
            }
            assertThat(stats.bytesOnDisk()).isEqualTo(onDisk);
        }
        var collected = reopen(dir, small);
        assertThat(new String(collected.snapshot)).isEqualTo("state@70");
        assertThat(collected.records).isEmpty();
    }

    @Test
    void theActiveSegmentIsNeverCompacted() throws Exception {
        try (var store = EventStore.open(dir, small.withRetainedSnapshots(1), new Collected())) {
            appendAll(store, records(0, 3));
            snapshot(store, "state@3");
            snapshot(store, "state@3 again");
            appendAll(store, records(3, 4));
        }
        assertThat(names(segments(dir))).containsExactly(LogFiles.segmentName(0));
        var collected = reopen(dir, small);
        assertThat(new String(collected.snapshot)).isEqualTo("state@3 again");
        assertThat(collected.records).containsExactlyElementsOf(records(3, 4));
    }

    @Test
    void aCorruptNewestSnapshotFallsBackToThePreviousOne() throws Exception {
        try (var store = EventStore.open(dir, small, new Collected())) {
            appendAll(store, records(0, 20));
            snapshot(store, "state@20");
            appendAll(store, records(20, 40));
            snapshot(store, "state@40");
            appendAll(store, records(40, 45));
        }
        var newest = dir.resolve(LogFiles.snapshotName(40));
        flipBit(newest, Files.size(newest) - 2);

        var collected = reopen(dir, small);

        assertThat(new String(collected.snapshot)).isEqualTo("state@20");
        assertThat(collected.records).containsExactlyElementsOf(records(20, 45));
        assertThat(newest).doesNotExist();
        assertThat(newest.resolveSibling(newest.getFileName() + ".corrupt")).exists();
    }

    @Test
    void aCorruptSnapshotWithoutAnyUsableFallbackStopsRecoveryClearly() throws Exception {
        var one = small.withRetainedSnapshots(1);
        try (var store = EventStore.open(dir, one, new Collected())) {
            appendAll(store, records(0, 20));
            snapshot(store, "state@20");
            appendAll(store, records(20, 25));
        }
        var only = dir.resolve(LogFiles.snapshotName(20));
        flipBit(only, 3);

        assertThatThrownBy(() -> reopen(dir, one)).isInstanceOfSatisfying(StoreCorruptedException.class, e -> {
            assertThat(e.file()).isEqualTo(only);
            assertThat(e.reason()).contains("no older snapshot is usable");
        });
        assertThat(only).as("left in place for the operator").exists();
    }

    @Test
    void aCorruptSnapshotFallsBackToTheWholeLogWhileItStillStartsAtZero() throws Exception {
        try (var store = EventStore.open(dir, StoreOptions.defaults(), new Collected())) {
            appendAll(store, records(0, 5));
            snapshot(store, "state@5");
            appendAll(store, records(5, 7));
        }
        flipBit(dir.resolve(LogFiles.snapshotName(5)), 40);

        var collected = reopen(dir, StoreOptions.defaults());

        assertThat(collected.snapshotCalls).isZero();
        assertThat(collected.records).containsExactlyElementsOf(records(0, 7));
    }

    @Test
    void aSecondSnapshotWhileOneIsInFlightIsRefusedAsBusy() throws Exception {
        var faults = new Faults();
        var gate = new CountDownLatch(1);
        try (var store = EventStore.open(dir, small.withOpener(faults.opener()), new Collected())) {
            appendAll(store, records(0, 3));
            faults.forceGate = gate;
            var first = new Done();
            store.snapshot(bytes("first"), first);
            var second = new Done();
            store.snapshot(bytes("second"), second);

            assertThat(second.future).isDone();
            assertThat(second.await().kind()).isEqualTo(StoreException.Kind.BUSY);
            gate.countDown();
            first.awaitSuccess();
            faults.forceGate = null;
            snapshot(store, "third");
        }
        assertThat(new String(reopen(dir, small).snapshot)).isEqualTo("third");
    }

    @Test
    void aFailedSnapshotLeavesNoFileAndTheLogIntact() throws Exception {
        var faults = new Faults();
        try (var store = EventStore.open(dir, small.withOpener(faults.opener()), new Collected())) {
            appendAll(store, records(0, 12));
            faults.writeBudget.set(10);
            var failed = new Done();
            store.snapshot(new byte[500], failed);
            assertThat(failed.await().kind()).isEqualTo(StoreException.Kind.IO);
            assertThat(store.stats().snapshotFailures()).isEqualTo(1);
            faults.writeBudget.set(Long.MAX_VALUE);
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .noneMatch(name -> name.startsWith("snap-"));
        }
        var collected = reopen(dir, small);
        assertThat(collected.snapshotCalls).isZero();
        assertThat(collected.records).containsExactlyElementsOf(records(0, 12));
    }

    @Test
    void aSnapshotWithoutSegmentsStartsANewLogAtItsSequence() throws Exception {
        try (var store = EventStore.open(dir, small, new Collected())) {
            appendAll(store, records(0, 12));
            snapshot(store, "state@12");
        }
        for (Path segment : segments(dir)) {
            Files.delete(segment);
        }
        try (var store = EventStore.open(dir, small, new Collected())) {
            assertThat(store.stats().nextSeq()).isEqualTo(12);
            appendAll(store, records(12, 14));
        }
        assertThat(names(segments(dir))).containsExactly(LogFiles.segmentName(12));
        assertThat(reopen(dir, small).records).containsExactlyElementsOf(records(12, 14));
    }
}
