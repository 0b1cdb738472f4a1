package crumbhub.wire;

import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import java.util.Optional;

/** The frames every request may meet: the generic replies OK and ERROR, and the PING/PONG keep-alive. */
public sealed interface ControlFrame extends Frame {

    /** 0x01 OK, S→C: the request succeeded. */
    record Ok(int requestId) implements ControlFrame {
        @Override
        public int typeCode() {
            return FrameType.OK.code();
        }

        @Override
        public void write(BinaryWriter out) {}

        static Ok read(int requestId, BinaryReader<MalformedFrameException> in) {
            return new Ok(requestId);
        }
    }

    /** 0x02 ERROR, S→C: {@code str8(CODE) code, str16(TEXT) message}. */
    record Error(int requestId, String code, String message) implements ControlFrame {
        public Error {
            Checks.str(code, Limits.CODE, "error code");
            Checks.str(message, Limits.TEXT, "error message");
        }

        public static Error of(int requestId, ErrorCode code, String message) {
            return new Error(requestId, code.code(), message);
        }

        /** The code as an enum constant; empty for a code this version does not know. */
        public Optional<ErrorCode> errorCode() {
            return ErrorCode.fromCode(code);
        }

        @Override
        public int typeCode() {
            return FrameType.ERROR.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.str8(code).str16(message);
        }

        static Error read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new Error(requestId, in.str8(Limits.CODE, "code"), in.str16(Limits.TEXT, "message"));
        }
    }

    /** 0x40 PING, either direction: {@code u64 nonce}. */
    record Ping(int requestId, long nonce) implements ControlFrame {
        @Override
        public int typeCode() {
            return FrameType.PING.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.u64(nonce);
        }

        static Ping read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new Ping(requestId, in.u64("nonce"));
        }
    }

    /** 0x41 PONG, either direction: {@code u64 nonce}, echoing the PING. */
    record Pong(int requestId, long nonce) implements ControlFrame {
        @Override
        public int typeCode() {
            return FrameType.PONG.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.u64(nonce);
        }

        static Pong read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new Pong(requestId, in.u64("nonce"));
        }
    }
}
