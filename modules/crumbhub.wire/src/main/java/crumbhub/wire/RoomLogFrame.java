package crumbhub.wire;

import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Frames of signed room membership (docs/protocol.md §8): ROOM_STATEMENT, ROOM_LOG and
 * ROOM_LOG_REPLY (0x70–0x72). A statement is the crypto module's {@code RoomStatement} encoding;
 * the server reads its fields to apply its own room rules but never verifies its signature: the
 * clients do (docs/crypto.md "Room membership").
 */
public sealed interface RoomLogFrame extends Frame {

    /** One stored statement: {@code bytes16(STATEMENT)}. Held by reference. */
    record Statement(byte[] bytes) implements Entries.Entry {
        public Statement {
            Checks.bytes(bytes, Limits.STATEMENT, "statement");
        }

        static final int MIN_LENGTH = 2;

        @Override
        public void write(BinaryWriter out) {
            out.bytes16(bytes);
        }

        static Statement read(BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new Statement(in.bytes16(Limits.STATEMENT, "statement"));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Statement s && Arrays.equals(bytes, s.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Statement[<" + bytes.length + " bytes>]";
        }
    }

    /**
     * 0x70 ROOM_STATEMENT, C→S: {@code bytes16(STATEMENT) statement}: appends a signed membership
     * change to its room's log and applies it. Answered by OK once durable.
     */
    record RoomStatement(int requestId, Statement statement) implements RoomLogFrame {
        public RoomStatement {
            Objects.requireNonNull(statement, "statement");
        }

        @Override
        public int typeCode() {
            return FrameType.ROOM_STATEMENT.code();
        }

        @Override
        public void write(BinaryWriter out) {
            statement.write(out);
        }

        static RoomStatement read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new RoomStatement(requestId, Statement.read(in));
        }
    }

    /** 0x71 ROOM_LOG, C→S: {@code str8(NAME) room, u32 from}: the room's statements from number {@code from} on. */
    record RoomLog(int requestId, String room, int from) implements RoomLogFrame {
        public RoomLog {
            Checks.str(room, Limits.NAME, "room");
        }

        @Override
        public int typeCode() {
            return FrameType.ROOM_LOG.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.str8(room).u32(from);
        }

        static RoomLog read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new RoomLog(requestId, in.str8(Limits.NAME, "room"), in.u32("from"));
        }
    }

    /**
     * 0x72 ROOM_LOG_REPLY, S→C: {@code str8(NAME) room, u32 from, u32 length, u16 n, n × Statement,
     * u8 more}: statements {@code from} to {@code from + n - 1} of a log that holds {@code length};
     * {@code more} when the rest did not fit.
     */
    record RoomLogReply(int requestId, String room, int from, int length, List<Statement> statements, boolean more)
            implements RoomLogFrame {
        public RoomLogReply(int requestId, String room, int from, int length, List<Statement> statements, boolean more) {
            Checks.str(room, Limits.NAME, "room");
            this.requestId = requestId;
            this.room = room;
            this.from = from;
            this.length = length;
            this.statements = List.copyOf(statements);
            this.more = more;
            Checks.list(this.statements, FrameCodec.payloadLength(this), "statement list");
        }

        /** A reply with as many of {@code all} (statements {@code from} on) as fit in one frame. */
        public static RoomLogReply fitting(int requestId, String room, int from, int length, List<Statement> all) {
            var fit = Entries.fitting(all, new RoomLogReply(requestId, room, from, length, List.of(), false));
            return new RoomLogReply(requestId, room, from, length, fit, fit.size() < all.size());
        }

        @Override
        public int typeCode() {
            return FrameType.ROOM_LOG_REPLY.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.str8(room).u32(from).u32(length);
            Entries.writeList(out, statements, more);
        }

        static RoomLogReply read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            String room = in.str8(Limits.NAME, "room");
            int from = in.u32("from");
            int length = in.u32("length");
            int n = in.count16(Limits.LIST_COUNT, Statement.MIN_LENGTH, "statements");
            var out = new ArrayList<Statement>(n);
            for (int i = 0; i < n; i++) {
                out.add(Statement.read(in));
            }
            return new RoomLogReply(requestId, room, from, length, out, in.flag("more"));
        }
    }
}
