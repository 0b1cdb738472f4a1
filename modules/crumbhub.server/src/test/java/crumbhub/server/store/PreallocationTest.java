package crumbhub.server.store;

import static crumbhub.server.store.StoreFixtures.Collected;
import static crumbhub.server.store.StoreFixtures.appendAll;
import static crumbhub.server.store.StoreFixtures.offsetOf;
import static crumbhub.server.store.StoreFixtures.record;
import static crumbhub.server.store.StoreFixtures.reopen;
import static crumbhub.server.store.StoreFixtures.segments;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.testkit.Await;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Preallocated segments (docs/storage.md §2): zeroed space ahead of the records while the store
 * is open, trimmed on roll and close, read as the end of the log after a crash, and cut back
 * like a failed write when the disk is full.
 */
class PreallocationTest {

    private static final int SIZE = 100;
    private static final long LEAD = 64 * 1024;

    @TempDir
    Path dir;

    private final StoreOptions options = StoreOptions.defaults().withPreallocateBytes(LEAD);

    @Test
    void theActiveSegmentRunsAheadInZerosWhileOpenAndIsTrimmedOnClose() throws Exception {
        var written = records(20);
        Path segment;
        try (var store = EventStore.open(dir, options, new Collected())) {
            appendAll(store, written);
            segment = segments(dir).getFirst();
            Await.until(() -> size(segment) >= offsetOf(20, SIZE) + LEAD / 2, "preallocation");
            assertThat(zerosFrom(segment, offsetOf(20, SIZE))).isTrue();
        }
        assertThat(Files.size(segment)).isEqualTo(offsetOf(20, SIZE));
        try (var store = EventStore.open(dir, options, new Collected())) {
            appendAll(store, List.of(record("after", 0, SIZE)));
        }
        var recovered = reopen(dir, options);
        assertThat(recovered.records).hasSize(21);
        assertThat(recovered.records.subList(0, 20)).containsExactlyElementsOf(written);
    }

    @Test
    void theLeadIsToppedUpInStepsOfASixteenthOfIt() throws Exception {
        long lead = 1 << 20;
        var faults = new Faults();
        var written = records(50);
        try (var store = EventStore.open(dir, options.withPreallocateBytes(lead).withOpener(faults.opener()),
                new Collected())) {
            appendAll(store, written);
            Path segment = segments(dir).getFirst();
            Await.until(() -> size(segment) >= offsetOf(50, SIZE) + lead - lead / 16, "the whole lead");
            assertThat(zerosFrom(segment, offsetOf(50, SIZE))).isTrue();
            assertThat(faults.largestGrowth(segment)).as("growth between two forces")
                    .isPositive().isLessThanOrEqualTo(lead / 16);
        }
        assertThat(reopen(dir, options).records).containsExactlyElementsOf(written);
    }

    @Test
    void zerosAfterTheLastRecordAreTheEndOfTheLogWhateverTheirLength() throws Exception {
        var written = records(5);
        for (int zeros : new int[] {1, 7, 8, 9, 4099, 70_000}) {
            var copy = Files.createDirectories(dir.resolve("zeros-" + zeros));
            try (var store = EventStore.open(copy, options, new Collected())) {
                appendAll(store, written);
            }
            // A crash while preallocating, or after it: the segment ends in zeros.
            var segment = segments(copy).getFirst();
            appendBytes(segment, new byte[zeros]);

            var noLead = options.withPreallocateBytes(0);
            var collected = new Collected();
            try (var store = EventStore.open(copy, noLead, collected)) {
                assertThat(collected.records).as("%d zeros", zeros).containsExactlyElementsOf(written);
                assertThat(Files.size(segment)).as("%d zeros", zeros).isEqualTo(offsetOf(5, SIZE));
                appendAll(store, List.of(record("next", 0, SIZE)));
            }
            assertThat(reopen(copy, options).records).as("%d zeros", zeros).hasSize(6);
        }
    }

    @Test
    void aTornRecordBeforeZerosIsTruncatedWithThem() throws Exception {
        var written = records(4);
        try (var store = EventStore.open(dir, options, new Collected())) {
            appendAll(store, written);
        }
        var segment = segments(dir).getFirst();
        var framed = frame(record("torn", 0, SIZE));
        appendBytes(segment, java.util.Arrays.copyOf(framed, 50));
        appendBytes(segment, new byte[10_000]);

        var collected = new Collected();
        try (var store = EventStore.open(dir, options.withPreallocateBytes(0), collected)) {
            assertThat(collected.records).containsExactlyElementsOf(written);
            assertThat(Files.size(segment)).isEqualTo(offsetOf(4, SIZE));
        }
    }

    @Test
    void aRecordAfterZerosIsCorruptionNotATornTail() throws Exception {
        try (var store = EventStore.open(dir, options, new Collected())) {
            appendAll(store, records(3));
        }
        var segment = segments(dir).getFirst();
        appendBytes(segment, new byte[4096]);
        appendBytes(segment, frame(record("later", 0, SIZE)));

        assertThatThrownBy(() -> EventStore.open(dir, options, new Collected()))
                .isInstanceOf(StoreCorruptedException.class)
                .hasMessageContaining("not a torn tail");
        assertThat(Files.size(segment)).as("nothing was cut").isEqualTo(offsetOf(3, SIZE) + 4096 + SIZE + 8);
    }

    @Test
    void rollingTrimsThePreviousSegmentAndAnUntrimmedOlderSegmentStillReads() throws Exception {
        var small = options.withSegmentBytes(2048).withPreallocateBytes(1024);
        var written = records(60);
        try (var store = EventStore.open(dir, small, new Collected())) {
            for (var one : written) {
                appendAll(store, List.of(one));
            }
            var all = segments(dir);
            assertThat(all).hasSizeGreaterThan(2);
            for (Path older : all.subList(0, all.size() - 1)) {
                assertThat(cleanEnd(older)).as("%s ends with its last record", older.getFileName()).isTrue();
            }
        }
        // A crash between creating the next segment and trimming the previous one.
        appendBytes(segments(dir).getFirst(), new byte[1000]);
        assertThat(reopen(dir, small).records).containsExactlyElementsOf(written);
    }

    @Test
    void aFullDiskFailsPreallocationWithoutFailingRecordsAndCutsTheZerosBack() throws Exception {
        var faults = new Faults();
        faults.writeBudget.set(RecordFormat.SEGMENT_HEADER_BYTES + 1000);
        var written = records(10);
        Path segment;
        try (var store = EventStore.open(dir, options.withOpener(faults.opener()), new Collected())) {
            segment = segments(dir).getFirst();
            Await.until(() -> faults.writeBudget.get() <= 0, "the preallocation to hit the full disk");
            Await.until(() -> size(segment) == RecordFormat.SEGMENT_HEADER_BYTES, "the zeros to be cut back");
            faults.writeBudget.set(Long.MAX_VALUE);

            appendAll(store, written);
            assertThat(store.stats().failed()).isZero();
        }
        assertThat(Files.size(segment)).isEqualTo(offsetOf(10, SIZE));
        assertThat(reopen(dir, options).records).containsExactlyElementsOf(written);
    }

    private static List<byte[]> records(int count) {
        return IntStream.range(0, count).mapToObj(i -> record("r", i, SIZE)).toList();
    }

    private static byte[] frame(byte[] payload) {
        var out = ByteBuffer.allocate(RecordFormat.RECORD_HEADER_BYTES + payload.length);
        RecordFormat.putRecord(out, payload);
        return out.array();
    }

    private static void appendBytes(Path file, byte[] bytes) throws IOException {
        try (var channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            var buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean zerosFrom(Path file, long offset) throws IOException {
        var bytes = Files.readAllBytes(file);
        for (long i = offset; i < bytes.length; i++) {
            if (bytes[(int) i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether the segment's records run exactly to its end (no zeros, no defect). */
    private static boolean cleanEnd(Path segment) throws Exception {
        try (var channel = FileChannel.open(segment, StandardOpenOption.READ)) {
            var seen = new ArrayList<Long>();
            var result = SegmentScanner.scan(channel, segment, 1 << 20, (seq, payload) -> seen.add(seq));
            return result.defect() == null && result.validEnd() == result.fileSize() && !seen.isEmpty();
        }
    }
}
