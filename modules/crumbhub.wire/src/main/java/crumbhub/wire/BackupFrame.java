package crumbhub.wire;

import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Frames of the account history backup (docs/protocol.md §9): BACKUP_APPEND, BACKUP_LIST,
 * BACKUP_LIST_REPLY, BACKUP_FETCH, BACKUP_BATCHES and BACKUP_DELETE (0x78–0x7d). The server keeps
 * each device's batches as opaque ciphertext in streams, append-only, and never reads them: the
 * clients seal and check every batch (docs/crypto.md "History backup").
 */
public sealed interface BackupFrame extends Frame {

    /**
     * 0x78 BACKUP_APPEND, C→S: {@code u64 stream, u64 index, bytes16(BACKUP_BLOB) blob}: batch
     * {@code index} of this device's stream {@code stream}. Answered by OK once durable.
     */
    record BackupAppend(int requestId, long stream, long index, byte[] blob) implements BackupFrame {
        public BackupAppend {
            Checks.bytes(blob, Limits.BACKUP_BLOB, "blob");
        }

        @Override
        public int typeCode() {
            return FrameType.BACKUP_APPEND.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.u64(stream).u64(index).bytes16(blob);
        }

        static BackupAppend read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new BackupAppend(requestId, in.u64("stream"), in.u64("index"), in.bytes16(Limits.BACKUP_BLOB, "blob"));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BackupAppend a && requestId == a.requestId && stream == a.stream && index == a.index
                    && Arrays.equals(blob, a.blob);
        }

        @Override
        public int hashCode() {
            return Objects.hash(requestId, stream, index, Arrays.hashCode(blob));
        }

        @Override
        public String toString() {
            return "BackupAppend[requestId=" + requestId + ", stream=" + Long.toHexString(stream) + ", index=" + index
                    + ", blob=<" + blob.length + " bytes>]";
        }
    }

    /** 0x79 BACKUP_LIST, C→S: empty. The streams of the asking device's account. */
    record BackupList(int requestId) implements BackupFrame {
        @Override
        public int typeCode() {
            return FrameType.BACKUP_LIST.code();
        }

        @Override
        public void write(BinaryWriter out) {}

        static BackupList read(int requestId, BinaryReader<MalformedFrameException> in) {
            return new BackupList(requestId);
        }
    }

    /** One stream: {@code u32 deviceId, u64 stream, u64 batches, u64 bytes}. */
    record Stream(int deviceId, long stream, long batches, long bytes) implements Entries.Entry {
        static final int LENGTH = 28;

        @Override
        public void write(BinaryWriter out) {
            out.u32(deviceId).u64(stream).u64(batches).u64(bytes);
        }

        static Stream read(BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new Stream(in.u32("deviceId"), in.u64("stream"), in.u64("batches"), in.u64("bytes"));
        }
    }

    /**
     * 0x7a BACKUP_LIST_REPLY, S→C: {@code u64 usedBytes, u64 quotaBytes, u16 n, n × Stream, u8 more}.
     */
    record BackupListReply(int requestId, long usedBytes, long quotaBytes, List<Stream> streams, boolean more)
            implements BackupFrame {
        public BackupListReply(int requestId, long usedBytes, long quotaBytes, List<Stream> streams, boolean more) {
            this.requestId = requestId;
            this.usedBytes = usedBytes;
            this.quotaBytes = quotaBytes;
            this.streams = List.copyOf(streams);
            this.more = more;
            Checks.list(this.streams, FrameCodec.payloadLength(this), "stream list");
        }

        /** A reply with as many leading streams as fit in one frame; {@code more} if some did not. */
        public static BackupListReply fitting(int requestId, long usedBytes, long quotaBytes, List<Stream> all) {
            var fit = Entries.fitting(all, new BackupListReply(requestId, usedBytes, quotaBytes, List.of(), false));
            return new BackupListReply(requestId, usedBytes, quotaBytes, fit, fit.size() < all.size());
        }

        @Override
        public int typeCode() {
            return FrameType.BACKUP_LIST_REPLY.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.u64(usedBytes).u64(quotaBytes);
            Entries.writeList(out, streams, more);
        }

        static BackupListReply read(int requestId, BinaryReader<MalformedFrameException> in)
                throws MalformedFrameException {
            long used = in.u64("usedBytes");
            long quota = in.u64("quotaBytes");
            int n = in.count16(Limits.LIST_COUNT, Stream.LENGTH, "streams");
            var streams = new ArrayList<Stream>(n);
            for (int i = 0; i < n; i++) {
                streams.add(Stream.read(in));
            }
            return new BackupListReply(requestId, used, quota, streams, in.flag("more"));
        }
    }

    /**
     * 0x7b BACKUP_FETCH, C→S: {@code u32 deviceId, u64 stream, u64 from}: the batches of a stream
     * of the asking device's account, from index {@code from} on.
     */
    record BackupFetch(int requestId, int deviceId, long stream, long from) implements BackupFrame {
        @Override
        public int typeCode() {
            return FrameType.BACKUP_FETCH.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.u32(deviceId).u64(stream).u64(from);
        }

        static BackupFetch read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new BackupFetch(requestId, in.u32("deviceId"), in.u64("stream"), in.u64("from"));
        }
    }

    /** One stored batch in a BACKUP_BATCHES reply: {@code bytes16(BACKUP_BLOB)}. Held by reference. */
    record Blob(byte[] bytes) implements Entries.Entry {
        public Blob {
            Checks.bytes(bytes, Limits.BACKUP_BLOB, "blob");
        }

        @Override
        public void write(BinaryWriter out) {
            out.bytes16(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Blob b && Arrays.equals(bytes, b.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Blob[<" + bytes.length + " bytes>]";
        }
    }

    /**
     * 0x7c BACKUP_BATCHES, S→C: {@code u32 deviceId, u64 stream, u64 from, u16 n,
     * n × bytes16(BACKUP_BLOB), u8 more}: batches {@code from .. from + n - 1}; {@code more} when
     * the stream holds further batches that did not fit.
     */
    record BackupBatches(int requestId, int deviceId, long stream, long from, List<Blob> blobs, boolean more)
            implements BackupFrame {
        public BackupBatches(int requestId, int deviceId, long stream, long from, List<Blob> blobs, boolean more) {
            this.requestId = requestId;
            this.deviceId = deviceId;
            this.stream = stream;
            this.from = from;
            this.blobs = List.copyOf(blobs);
            this.more = more;
            Checks.list(this.blobs, FrameCodec.payloadLength(this), "batch list");
        }

        /** The leading blobs of {@code all} that fit in one frame; {@code more} if some did not or {@code moreAfter}. */
        public static BackupBatches fitting(int requestId, int deviceId, long stream, long from, List<Blob> all,
                                            boolean moreAfter) {
            var fit = Entries.fitting(all, new BackupBatches(requestId, deviceId, stream, from, List.of(), false));
            return new BackupBatches(requestId, deviceId, stream, from, fit, moreAfter || fit.size() < all.size());
        }

        @Override
        public int typeCode() {
            return FrameType.BACKUP_BATCHES.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.u32(deviceId).u64(stream).u64(from);
            Entries.writeList(out, blobs, more);
        }

        static BackupBatches read(int requestId, BinaryReader<MalformedFrameException> in)
                throws MalformedFrameException {
            int device = in.u32("deviceId");
            long stream = in.u64("stream");
            long from = in.u64("from");
            int n = in.count16(Limits.LIST_COUNT, 2, "blobs");
            var blobs = new ArrayList<Blob>(n);
            for (int i = 0; i < n; i++) {
                blobs.add(new Blob(in.bytes16(Limits.BACKUP_BLOB, "blob")));
            }
            return new BackupBatches(requestId, device, stream, from, blobs, in.flag("more"));
        }
    }

    /** 0x7d BACKUP_DELETE, C→S: empty. Deletes every batch of the account. Answered by OK once durable. */
    record BackupDelete(int requestId) implements BackupFrame {
        @Override
        public int typeCode() {
            return FrameType.BACKUP_DELETE.code();
        }

        @Override
        public void write(BinaryWriter out) {}

        static BackupDelete read(int requestId, BinaryReader<MalformedFrameException> in) {
            return new BackupDelete(requestId);
        }
    }
}
