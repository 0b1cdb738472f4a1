package crumbhub.server.store;

import static crumbhub.server.store.StoreFixtures.Collected;
import static crumbhub.server.store.StoreFixtures.appendAll;
import static crumbhub.server.store.StoreFixtures.bytes;
import static crumbhub.server.store.StoreFixtures.flipBit;
import static crumbhub.server.store.StoreFixtures.offsetOf;
import static crumbhub.server.store.StoreFixtures.record;
import static crumbhub.server.store.StoreFixtures.reopen;
import static crumbhub.server.store.StoreFixtures.segments;
import static crumbhub.server.store.StoreFixtures.truncate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

class RecoveryTest {

    private static final int SIZE = 100;

    @TempDir
    Path dir;

    /** Without preallocation: these tests check file sizes while the store is open. */
    private final StoreOptions options = StoreOptions.defaults().withPreallocateBytes(0);

    private List<byte[]> writeRecords(Path into, StoreOptions with, int count) throws StoreException {
        var written = IntStream.range(0, count).mapToObj(i -> record("t", i, SIZE)).toList();
        try (var store = EventStore.open(into, with, new Collected())) {
            appendAll(store, written);
        }
        return written;
    }

    @Test
    void aTornFinalRecordIsTruncatedAtEveryCutPoint() throws Exception {
        var original = dir.resolve("original");
        var written = writeRecords(original, options, 6);
        var segment = segments(original).getFirst();
        long lastStart = offsetOf(5, SIZE);
        long end = Files.size(segment);
        assertThat(end).isEqualTo(offsetOf(6, SIZE));

        for (long cut = lastStart + 1; cut < end; cut++) {
            var copy = Files.createDirectories(dir.resolve("cut-" + cut));
            var copied = copy.resolve(segment.getFileName());
            Files.copy(segment, copied);
            truncate(copied, cut);

            var collected = new Collected();
            try (var store = EventStore.open(copy, options, collected)) {
                assertThat(collected.records).as("cut at %d", cut).containsExactlyElementsOf(written.subList(0, 5));
                assertThat(Files.size(copied)).as("cut at %d", cut).isEqualTo(lastStart);
                appendAll(store, List.of(bytes("after-cut")));
            }
            assertThat(reopen(copy, options).strings()).as("cut at %d", cut).hasSize(6).endsWith("after-cut");
        }
    }

    @Test
    void aCutExactlyAtARecordBoundaryLosesNothingElse() throws Exception {
        var written = writeRecords(dir, options, 6);
        truncate(segments(dir).getFirst(), offsetOf(5, SIZE));
        assertThat(reopen(dir, options).records).containsExactlyElementsOf(written.subList(0, 5));
    }

    @Test
    void aFinalRecordFailingItsCrcIsATornTail() throws Exception {
        var written = writeRecords(dir, options, 6);
        var segment = segments(dir).getFirst();
        flipBit(segment, offsetOf(5, SIZE) + 8 + 50);

        assertThat(reopen(dir, options).records).containsExactlyElementsOf(written.subList(0, 5));
        assertThat(Files.size(segment)).isEqualTo(offsetOf(5, SIZE));
    }

    @Test
    void zerosAfterTheLastRecordAreATornTail() throws Exception {
        var written = writeRecords(dir, options, 3);
        var segment = segments(dir).getFirst();
        try (var channel = FileChannel.open(segment, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.allocate(4096));
        }
        assertThat(reopen(dir, options).records).containsExactlyElementsOf(written);
        assertThat(Files.size(segment)).isEqualTo(offsetOf(3, SIZE));
    }

    @Test
    void aBadCrcInTheMiddleOfTheNewestSegmentStopsRecoveryNamingFileAndOffset() throws Exception {
        writeRecords(dir, options, 6);
        var segment = segments(dir).getFirst();
        flipBit(segment, offsetOf(2, SIZE) + 8 + 10);

        assertThatThrownBy(() -> reopen(dir, options))
                .isInstanceOfSatisfying(StoreCorruptedException.class, e -> {
                    assertThat(e.file()).isEqualTo(segment);
                    assertThat(e.offset()).isEqualTo(offsetOf(2, SIZE));
                    assertThat(e.kind()).isEqualTo(StoreException.Kind.CORRUPTED);
                    assertThat(e).hasMessageContaining(segment.toString()).hasMessageContaining("CRC");
                });
        assertThat(Files.size(segment)).as("nothing was truncated").isEqualTo(offsetOf(6, SIZE));
    }

    @Test
    void aCorruptLengthInTheMiddleIsCorruptionNotATornTail() throws Exception {
        writeRecords(dir, options, 6);
        var segment = segments(dir).getFirst();
        flipBit(segment, offsetOf(3, SIZE) + 1);

        assertThatThrownBy(() -> reopen(dir, options))
                .isInstanceOfSatisfying(StoreCorruptedException.class,
                        e -> assertThat(e.offset()).isEqualTo(offsetOf(3, SIZE)));
    }

    @Test
    void aLengthBeyondTheLimitIsNeverAllocated() throws Exception {
        writeRecords(dir, options, 2);
        var segment = segments(dir).getFirst();
        try (var channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(4).putInt(0, Integer.MAX_VALUE), offsetOf(0, SIZE));
        }
        assertThatThrownBy(() -> reopen(dir, options))
                .isInstanceOfSatisfying(StoreCorruptedException.class, e -> {
                    assertThat(e.offset()).isEqualTo(offsetOf(0, SIZE));
                    assertThat(e.reason()).contains("exceeds the limit");
                });
    }

    @Test
    void aBadRecordInAnOlderSegmentIsCorruptionEvenAtItsEnd() throws Exception {
        var small = options.withSegmentBytes(1024);
        writeRecords(dir, small, 30);
        var files = segments(dir);
        assertThat(files).hasSizeGreaterThan(2);
        var older = files.get(1);
        long size = Files.size(older);
        flipBit(older, size - 5);

        assertThatThrownBy(() -> reopen(dir, small))
                .isInstanceOfSatisfying(StoreCorruptedException.class, e -> {
                    assertThat(e.file()).isEqualTo(older);
                    assertThat(e.offset()).isEqualTo(size - SIZE - 8);
                    assertThat(e.reason()).contains("older segment");
                });
    }

    @Test
    void aTruncatedOlderSegmentIsCorruption() throws Exception {
        var small = options.withSegmentBytes(1024);
        writeRecords(dir, small, 30);
        var older = segments(dir).getFirst();
        truncate(older, Files.size(older) - 3);

        assertThatThrownBy(() -> reopen(dir, small)).isInstanceOf(StoreCorruptedException.class)
                .hasMessageContaining(older.getFileName().toString());
    }

    @Test
    void aMissingSegmentIsReportedAsAGap() throws Exception {
        var small = options.withSegmentBytes(1024);
        writeRecords(dir, small, 30);
        var middle = segments(dir).get(1);
        Files.delete(middle);

        assertThatThrownBy(() -> reopen(dir, small)).isInstanceOfSatisfying(StoreCorruptedException.class,
                e -> assertThat(e.reason()).contains("gap"));
    }

    @Test
    void aDamagedSegmentHeaderIsCorruption() throws Exception {
        writeRecords(dir, options, 2);
        var segment = segments(dir).getFirst();
        flipBit(segment, 3);

        assertThatThrownBy(() -> reopen(dir, options)).isInstanceOfSatisfying(StoreCorruptedException.class,
                e -> assertThat(e.offset()).isZero());
    }

    @Test
    void aLeftoverTemporarySegmentFromACrashIsIgnoredAndRemoved() throws Exception {
        var written = writeRecords(dir, options, 2);
        var temp = dir.resolve(LogFiles.segmentName(2) + LogFiles.TEMP_SUFFIX);
        Files.write(temp, new byte[] {1, 2, 3});

        assertThat(reopen(dir, options).records).containsExactlyElementsOf(written);
        assertThat(temp).doesNotExist();
    }

    @Test
    void aThrowingRecoveryCallbackFailsOpenAndReleasesTheDirectory() throws Exception {
        writeRecords(dir, options, 3);
        var failing = new EventStore.Recovery() {
            @Override
            public void snapshot(byte[] state) {
                throw new AssertionError("no snapshot expected");
            }

            @Override
            public void record(byte[] record) throws Exception {
                throw new IOException("cannot apply");
            }
        };
        assertThatThrownBy(() -> EventStore.open(dir, options, failing))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.RECOVERY_FAILED))
                .hasRootCauseMessage("cannot apply");
        assertThat(reopen(dir, options).records).hasSize(3);
    }

    @Test
    void replayAfterTruncationContinuesWithCorrectSequenceNumbers() throws Exception {
        var small = options.withSegmentBytes(1024);
        var written = new ArrayList<>(writeRecords(dir, small, 20));
        var newest = segments(dir).getLast();
        truncate(newest, Files.size(newest) - 1);
        written.removeLast();
        try (var store = EventStore.open(dir, small, new Collected())) {
            assertThat(store.stats().nextSeq()).isEqualTo(19);
            var more = IntStream.range(100, 115).mapToObj(i -> record("t", i, SIZE)).toList();
            appendAll(store, more);
            written.addAll(more);
        }
        assertThat(reopen(dir, small).records).containsExactlyElementsOf(written);
    }
}
