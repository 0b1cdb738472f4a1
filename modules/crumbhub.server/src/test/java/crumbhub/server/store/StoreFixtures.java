package crumbhub.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Helpers shared by the store tests. */
final class StoreFixtures {

    static final long TIMEOUT_SECONDS = 20;

    private StoreFixtures() {
    }

    /** Collects what recovery hands over. */
    static final class Collected implements EventStore.Recovery {
        byte[] snapshot;
        int snapshotCalls;
        final List<byte[]> records = new ArrayList<>();

        @Override
        public void snapshot(byte[] state) {
            snapshot = state;
            snapshotCalls++;
        }

        @Override
        public void record(byte[] record) {
            records.add(record);
        }

        List<String> strings() {
            return records.stream().map(r -> new String(r, StandardCharsets.UTF_8)).toList();
        }
    }

    /** A callback whose outcome a test can wait for. */
    static final class Done implements Consumer<StoreException> {
        final CompletableFuture<StoreException> future = new CompletableFuture<>();
        volatile Thread thread;

        @Override
        public void accept(StoreException failure) {
            thread = Thread.currentThread();
            future.complete(failure);
        }

        /** The outcome: null for success. Fails the test if it does not arrive in time. */
        StoreException await() {
            try {
                return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("store callback did not complete", e);
            }
        }

        void awaitSuccess() {
            assertThat(await()).as("append outcome").isNull();
        }
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** "prefix-i" padded with '.' to exactly {@code size} bytes. */
    static byte[] record(String prefix, int i, int size) {
        var text = new StringBuilder(prefix).append('-').append(i);
        while (text.length() < size) {
            text.append('.');
        }
        return bytes(text.toString());
    }

    static Collected reopen(Path dir, StoreOptions options) throws StoreException {
        var collected = new Collected();
        try (var store = EventStore.open(dir, options, collected)) {
            assertThat(store.stats().nextSeq()).isGreaterThanOrEqualTo(collected.records.size());
        }
        return collected;
    }

    /** Appends each record and waits for it to be durable. */
    static void appendAll(EventStore store, List<byte[]> records) {
        var dones = new ArrayList<Done>();
        for (byte[] record : records) {
            var done = new Done();
            dones.add(done);
            store.append(record, done);
        }
        dones.forEach(Done::awaitSuccess);
    }

    static List<Path> files(Path dir, String prefix, String suffix) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    static List<Path> segments(Path dir) throws IOException {
        return files(dir, LogFiles.SEGMENT_PREFIX, LogFiles.SEGMENT_SUFFIX);
    }

    static List<Path> snapshots(Path dir) throws IOException {
        return files(dir, LogFiles.SNAPSHOT_PREFIX, LogFiles.SNAPSHOT_SUFFIX);
    }

    /** Flips one bit of the byte at {@code offset}. */
    static void flipBit(Path file, long offset) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE)) {
            var one = ByteBuffer.allocate(1);
            channel.read(one, offset);
            one.flip();
            byte flipped = (byte) (one.get() ^ 0x10);
            channel.write(ByteBuffer.wrap(new byte[] {flipped}), offset);
        }
    }

    static void truncate(Path file, long size) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }

    /** Offset of record {@code index} in a segment whose records all have {@code payloadBytes}. */
    static long offsetOf(int index, int payloadBytes) {
        return RecordFormat.SEGMENT_HEADER_BYTES + (long) index * (RecordFormat.RECORD_HEADER_BYTES + payloadBytes);
    }
}
