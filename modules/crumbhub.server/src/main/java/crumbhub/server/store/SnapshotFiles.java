package crumbhub.server.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;

/** Writes and reads snapshot files ({@link RecordFormat} layout). Blocking file I/O. */
final class SnapshotFiles {

    private SnapshotFiles() {
    }

    /** Writes {@code snap-<seq>.snap} atomically and durably; returns its size in bytes. */
    static long write(Path dir, long seq, List<ByteBuffer> state, StoreOptions.ChannelOpener opener) throws IOException {
        var target = dir.resolve(LogFiles.snapshotName(seq));
        var buffers = new java.util.ArrayList<ByteBuffer>(state.size() + 1);
        buffers.add(RecordFormat.snapshotHeader(seq, state));
        state.forEach(part -> buffers.add(part.duplicate()));
        LogFiles.writeAtomically(target, buffers, opener);
        return RecordFormat.SNAPSHOT_HEADER_BYTES + RecordFormat.length(state);
    }

    /**
     * Reads and checks a whole snapshot. The declared length must match the file size before
     * anything is allocated, and the payload CRC must match before the bytes are returned.
     */
    static byte[] read(Path file, long expectedSeq, StoreOptions.ChannelOpener opener)
            throws IOException, StoreCorruptedException {
        try (FileChannel channel = opener.open(file, Set.of(StandardOpenOption.READ))) {
            long size = channel.size();
            if (size < RecordFormat.SNAPSHOT_HEADER_BYTES) {
                throw new StoreCorruptedException(file, 0, "snapshot is shorter than its header (" + size + " bytes)");
            }
            var headerBuffer = ByteBuffer.allocate(RecordFormat.SNAPSHOT_HEADER_BYTES);
            readFully(channel, headerBuffer, 0);
            var header = RecordFormat.parseSnapshotHeader(headerBuffer.flip(), file);
            if (header.seq() != expectedSeq) {
                throw new StoreCorruptedException(file, 12,
                        "snapshot header says sequence " + header.seq() + " but its name says " + expectedSeq);
            }
            long available = size - RecordFormat.SNAPSHOT_HEADER_BYTES;
            if (header.length() != available || header.length() > RecordFormat.MAX_SNAPSHOT_BYTES) {
                throw new StoreCorruptedException(file, 20, "snapshot declares " + header.length()
                        + " payload bytes but the file holds " + available);
            }
            var state = new byte[(int) header.length()];
            readFully(channel, ByteBuffer.wrap(state), RecordFormat.SNAPSHOT_HEADER_BYTES);
            if (RecordFormat.crc(state, 0, state.length) != header.crc()) {
                throw new StoreCorruptedException(file, RecordFormat.SNAPSHOT_HEADER_BYTES, "snapshot CRC mismatch");
            }
            return state;
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer into, long position) throws IOException {
        long at = position;
        while (into.hasRemaining()) {
            int n = channel.read(into, at);
            if (n < 0) {
                throw new IOException("snapshot shrank while being read");
            }
            at += n;
        }
    }
}
