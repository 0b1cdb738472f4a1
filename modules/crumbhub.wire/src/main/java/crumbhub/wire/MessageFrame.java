package crumbhub.wire;

import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Frames that carry messages: SEND, SEND_DEVICES, SEND_OK, SYNC, SYNC_DONE, DELIVER, ACK (docs/protocol.md §4). */
public sealed interface MessageFrame extends Frame {

    /** 0x30 SEND, C→S: {@code u8 kind, str8(NAME) target, id16 messageId, u8 alg, bytes16(BODY) body}. */
    record Send(int requestId, TargetKind kind, String target, MessageId messageId, int alg, byte[] body)
            implements MessageFrame {
        public Send {
            Objects.requireNonNull(kind, "kind");
            Checks.str(target, Limits.NAME, "target");
            Objects.requireNonNull(messageId, "messageId");
            Checks.u8(alg, "alg");
            Checks.bytes(body, Limits.BODY, "body");
        }

        @Override
        public int typeCode() {
            return FrameType.SEND.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.u8(kind.code()).str8(target);
            messageId.writeTo(out);
            out.u8(alg).bytes16(body);
        }

        static Send read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new Send(requestId, TargetKind.read(in), in.str8(Limits.NAME, "target"),
                    MessageId.read(in, "messageId"), in.u8("alg"), in.bytes16(Limits.BODY, "body"));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Send s && requestId == s.requestId && kind == s.kind && target.equals(s.target)
                    && messageId.equals(s.messageId) && alg == s.alg && Arrays.equals(body, s.body);
        }

        @Override
        public int hashCode() {
            return Objects.hash(requestId, kind, target, messageId, alg) * 31 + Arrays.hashCode(body);
        }

        @Override
        public String toString() {
            return "Send[requestId=" + requestId + ", kind=" + kind + ", target=" + target + ", messageId="
                    + messageId + ", alg=" + alg + ", body=<" + body.length + " bytes>]";
        }
    }

    /** 0x31 SEND_OK, S→C: {@code u64 seq, u64 tsMs}. */
    record SendOk(int requestId, long seq, long tsMs) implements MessageFrame {
        @Override
        public int typeCode() {
            return FrameType.SEND_OK.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.u64(seq).u64(tsMs);
        }

        static SendOk read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new SendOk(requestId, in.u64("seq"), in.u64("tsMs"));
        }
    }

    /** 0x32 SYNC, C→S: asks for every undelivered message, then SYNC_DONE. */
    record Sync(int requestId) implements MessageFrame {
        @Override
        public int typeCode() {
            return FrameType.SYNC.code();
        }

        @Override
        public void write(BinaryWriter out) {}

        static Sync read(int requestId, BinaryReader<MalformedFrameException> in) {
            return new Sync(requestId);
        }
    }

    /** 0x33 SYNC_DONE, S→C: {@code u32 delivered, u64 seq}. */
    record SyncDone(int requestId, int delivered, long seq) implements MessageFrame {
        @Override
        public int typeCode() {
            return FrameType.SYNC_DONE.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.u32(delivered).u64(seq);
        }

        static SyncDone read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new SyncDone(requestId, in.u32("delivered"), in.u64("seq"));
        }
    }

    /**
     * 0x34 DELIVER, S→C push: {@code u8 kind, str8(NAME) target, str8(NAME) from, u32 fromDevice,
     * u64 seq, u64 tsMs, id16 messageId, u8 alg, bytes16(BODY) body}.
     */
    record Deliver(int requestId, TargetKind kind, String target, String from, int fromDevice, long seq, long tsMs,
                   MessageId messageId, int alg, byte[] body) implements MessageFrame {
        public Deliver {
            Objects.requireNonNull(kind, "kind");
            Checks.str(target, Limits.NAME, "target");
            Checks.str(from, Limits.NAME, "from");
            Objects.requireNonNull(messageId, "messageId");
            Checks.u8(alg, "alg");
            Checks.bytes(body, Limits.BODY, "body");
        }

        @Override
        public int typeCode() {
            return FrameType.DELIVER.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.u8(kind.code()).str8(target).str8(from).u32(fromDevice).u64(seq).u64(tsMs);
            messageId.writeTo(out);
            out.u8(alg).bytes16(body);
        }

        static Deliver read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new Deliver(requestId, TargetKind.read(in), in.str8(Limits.NAME, "target"),
                    in.str8(Limits.NAME, "from"), in.u32("fromDevice"), in.u64("seq"), in.u64("tsMs"),
                    MessageId.read(in, "messageId"), in.u8("alg"), in.bytes16(Limits.BODY, "body"));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Deliver d && requestId == d.requestId && kind == d.kind && target.equals(d.target)
                    && from.equals(d.from) && fromDevice == d.fromDevice && seq == d.seq && tsMs == d.tsMs
                    && messageId.equals(d.messageId) && alg == d.alg && Arrays.equals(body, d.body);
        }

        @Override
        public int hashCode() {
            return Objects.hash(requestId, kind, target, from, fromDevice, seq, tsMs, messageId, alg) * 31
                    + Arrays.hashCode(body);
        }

        @Override
        public String toString() {
            return "Deliver[requestId=" + requestId + ", kind=" + kind + ", target=" + target + ", from=" + from
                    + ", fromDevice=" + fromDevice + ", seq=" + seq + ", tsMs=" + tsMs + ", messageId=" + messageId
                    + ", alg=" + alg + ", body=<" + body.length + " bytes>]";
        }
    }

    /** 0x35 ACK, C→S: {@code u64 seq}. */
    record Ack(int requestId, long seq) implements MessageFrame {
        @Override
        public int typeCode() {
            return FrameType.ACK.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.u64(seq);
        }

        static Ack read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new Ack(requestId, in.u64("seq"));
        }
    }

    /**
     * 0x56 SEND_DEVICES, C→S: {@code u8 kind, str8(NAME) target, id16 messageId, u8 alg, u16 n,
     * n × DeviceBody}: one ciphertext per recipient device, each delivered to that device only
     * (as a DELIVER with this kind, target, id and alg). Answered by SEND_OK.
     */
    record SendDevices(int requestId, TargetKind kind, String target, MessageId messageId, int alg,
                       List<DeviceBody> entries) implements MessageFrame {
        public SendDevices(int requestId, TargetKind kind, String target, MessageId messageId, int alg,
                           List<DeviceBody> entries) {
            Objects.requireNonNull(kind, "kind");
            Checks.str(target, Limits.NAME, "target");
            Objects.requireNonNull(messageId, "messageId");
            Checks.u8(alg, "alg");
            this.requestId = requestId;
            this.kind = kind;
            this.target = target;
            this.messageId = messageId;
            this.alg = alg;
            this.entries = List.copyOf(entries);
            Checks.list(this.entries, FrameCodec.payloadLength(this), "device entries");
        }

        /** Payload bytes of a SEND_DEVICES to {@code target} before its entries; entries may fill the rest of {@link #MAX_PAYLOAD}. */
        public static int fixedLength(String target) {
            return FrameCodec.payloadLength(new SendDevices(0, TargetKind.ROOM, target, new MessageId(0, 0), 0, List.of()));
        }

        @Override
        public int typeCode() {
            return FrameType.SEND_DEVICES.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.u8(kind.code()).str8(target);
            messageId.writeTo(out);
            out.u8(alg);
            Entries.writeEntries(out, entries);
        }

        static SendDevices read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            TargetKind kind = TargetKind.read(in);
            String target = in.str8(Limits.NAME, "target");
            MessageId messageId = MessageId.read(in, "messageId");
            int alg = in.u8("alg");
            int n = in.count16(Limits.LIST_COUNT, DeviceBody.MIN_LENGTH, "entries");
            List<DeviceBody> entries = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                entries.add(DeviceBody.read(in));
            }
            return new SendDevices(requestId, kind, target, messageId, alg, entries);
        }

        @Override
        public String toString() {
            return "SendDevices[requestId=" + requestId + ", kind=" + kind + ", target=" + target + ", messageId="
                    + messageId + ", alg=" + alg + ", entries=" + entries.size() + "]";
        }
    }
}
