package crumbhub.wire;

import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import java.util.Arrays;
import java.util.Objects;

/**
 * Frames of the file blob store (docs/protocol.md §10): FILE_BEGIN, FILE_STATUS, FILE_APPEND,
 * FILE_QUERY, FILE_FINISH, FILE_READ and FILE_DATA (0x80–0x86). A blob is a sealed file
 * (docs/crypto.md "File attachments") that the server stores and serves as opaque bytes: it knows
 * only its length, its uploader and whether the upload finished.
 */
public sealed interface FileFrame extends Frame {

    /** 0x80 FILE_BEGIN, C→S: {@code u64 length}: starts an upload of a blob of this many bytes. Answered by FILE_STATUS. */
    record FileBegin(int requestId, long length) implements FileFrame {
        @Override
        public int typeCode() {
            return FrameType.FILE_BEGIN.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.u64(length);
        }

        static FileBegin read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new FileBegin(requestId, in.u64("length"));
        }
    }

    /**
     * 0x81 FILE_STATUS, S→C: {@code id16 file, u64 length, u64 stored, u8 finished}: a blob's
     * declared length, the bytes stored from its start, and whether its upload is finished (durable).
     */
    record FileStatus(int requestId, FileId file, long length, long stored, boolean finished) implements FileFrame {
        public FileStatus {
            Objects.requireNonNull(file, "file");
        }

        @Override
        public int typeCode() {
            return FrameType.FILE_STATUS.code();
        }

        @Override
        public void write(BinaryWriter out) {
            file.writeTo(out);
            out.u64(length).u64(stored).u8(finished ? 1 : 0);
        }

        static FileStatus read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new FileStatus(requestId, FileId.read(in), in.u64("length"), in.u64("stored"), in.flag("finished"));
        }
    }

    /**
     * 0x82 FILE_APPEND, C→S: {@code id16 file, u64 offset, bytes16(FILE_CHUNK) data}: bytes of the
     * blob at {@code offset}, which must be the bytes stored so far. Answered by OK.
     */
    record FileAppend(int requestId, FileId file, long offset, byte[] data) implements FileFrame {
        public FileAppend {
            Objects.requireNonNull(file, "file");
            Checks.bytes(data, Limits.FILE_CHUNK, "data");
        }

        @Override
        public int typeCode() {
            return FrameType.FILE_APPEND.code();
        }

        @Override
        public void write(BinaryWriter out) {
            file.writeTo(out);
            out.u64(offset).bytes16(data);
        }

        static FileAppend read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new FileAppend(requestId, FileId.read(in), in.u64("offset"), in.bytes16(Limits.FILE_CHUNK, "data"));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof FileAppend a && requestId == a.requestId && file.equals(a.file) && offset == a.offset
                    && Arrays.equals(data, a.data);
        }

        @Override
        public int hashCode() {
            return Objects.hash(requestId, file, offset, Arrays.hashCode(data));
        }

        @Override
        public String toString() {
            return "FileAppend[requestId=" + requestId + ", file=" + file + ", offset=" + offset + ", data=<"
                    + data.length + " bytes>]";
        }
    }

    /** 0x83 FILE_QUERY, C→S: {@code id16 file}: how much of an upload is stored (to resume). Answered by FILE_STATUS. */
    record FileQuery(int requestId, FileId file) implements FileFrame {
        public FileQuery {
            Objects.requireNonNull(file, "file");
        }

        @Override
        public int typeCode() {
            return FrameType.FILE_QUERY.code();
        }

        @Override
        public void write(BinaryWriter out) {
            file.writeTo(out);
        }

        static FileQuery read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new FileQuery(requestId, FileId.read(in));
        }
    }

    /** 0x84 FILE_FINISH, C→S: {@code id16 file}: ends a complete upload. Answered by FILE_STATUS once durable. */
    record FileFinish(int requestId, FileId file) implements FileFrame {
        public FileFinish {
            Objects.requireNonNull(file, "file");
        }

        @Override
        public int typeCode() {
            return FrameType.FILE_FINISH.code();
        }

        @Override
        public void write(BinaryWriter out) {
            file.writeTo(out);
        }

        static FileFinish read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new FileFinish(requestId, FileId.read(in));
        }
    }

    /**
     * 0x85 FILE_READ, C→S: {@code id16 file, u64 offset, u32 length}: up to {@code length} bytes
     * (at most FILE_CHUNK) of a finished blob from {@code offset}. Answered by FILE_DATA.
     */
    record FileRead(int requestId, FileId file, long offset, int length) implements FileFrame {
        public FileRead {
            Objects.requireNonNull(file, "file");
        }

        @Override
        public int typeCode() {
            return FrameType.FILE_READ.code();
        }

        @Override
        public void write(BinaryWriter out) {
            file.writeTo(out);
            out.u64(offset).u32(length);
        }

        static FileRead read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new FileRead(requestId, FileId.read(in), in.u64("offset"), in.u32("length"));
        }
    }

    /**
     * 0x86 FILE_DATA, S→C: {@code id16 file, u64 offset, u64 length, bytes16(FILE_CHUNK) data}: the
     * blob's bytes from {@code offset}, and its whole length.
     */
    record FileData(int requestId, FileId file, long offset, long length, byte[] data) implements FileFrame {
        public FileData {
            Objects.requireNonNull(file, "file");
            Checks.bytes(data, Limits.FILE_CHUNK, "data");
        }

        @Override
        public int typeCode() {
            return FrameType.FILE_DATA.code();
        }

        @Override
        public void write(BinaryWriter out) {
            file.writeTo(out);
            out.u64(offset).u64(length).bytes16(data);
        }

        static FileData read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new FileData(requestId, FileId.read(in), in.u64("offset"), in.u64("length"),
                    in.bytes16(Limits.FILE_CHUNK, "data"));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof FileData d && requestId == d.requestId && file.equals(d.file) && offset == d.offset
                    && length == d.length && Arrays.equals(data, d.data);
        }

        @Override
        public int hashCode() {
            return Objects.hash(requestId, file, offset, length, Arrays.hashCode(data));
        }

        @Override
        public String toString() {
            return "FileData[requestId=" + requestId + ", file=" + file + ", offset=" + offset + ", length=" + length
                    + ", data=<" + data.length + " bytes>]";
        }
    }
}
