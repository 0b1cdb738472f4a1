package crumbhub.wire;

import crumbhub.crypto.binary.BinaryWriter;

/**
 * A frame of docs/protocol.md §2: one record per frame type, each carrying its {@code requestId}
 * (a u32 held in an int; non-zero for requests, 0 for server pushes). Constructors enforce every
 * field bound, so any Frame that exists can be encoded; a violation is a programming error and
 * throws IllegalArgumentException. Unsigned wire integers are held in Java ints and longs bit for bit.
 *
 * <p>The records are grouped by protocol area, one sealed sub-interface and file each:
 * {@link ControlFrame} (OK, ERROR, PING, PONG), {@link AuthFrame} (register, login, resume,
 * logout), {@link DeviceFrame} (a user's devices), {@link RoomFrame} (rooms and members),
 * {@link MessageFrame} (send, sync, deliver, ack), {@link KeyFrame} (end-to-end key
 * distribution), {@link AccountFrame} (account identities) and {@link KemKeyFrame} (one-time
 * ML-KEM prekeys). Each record writes its own payload ({@link #write}) and reads it back with a
 * static {@code read(requestId, in)} that its {@link FrameType} entry names: docs/protocol.md
 * §2.1 lists the steps to add a frame type.
 *
 * <p>Byte arrays ({@code password}, {@code body}) are held by reference, not copied, so that a
 * message body can be fanned out to many connections without copies: do not change an array after
 * handing it to a frame. {@code toString} never shows a password, a token or a body.
 */
public sealed interface Frame permits ControlFrame, AuthFrame, DeviceFrame, RoomFrame, MessageFrame, KeyFrame,
        AccountFrame, RoomLogFrame, KemKeyFrame, BackupFrame, FileFrame, MembershipFrame, RetractFrame, Frame.Unknown {

    /** Most payload bytes one frame holds (frameLength minus type and requestId). */
    int MAX_PAYLOAD = Protocol.MAX_FRAME_LENGTH - Protocol.MIN_FRAME_LENGTH;

    /** The request id: chosen by the client for a request, echoed in the reply, 0 for pushes. */
    int requestId();

    /** The type byte of this frame. */
    int typeCode();

    /**
     * Writes the payload (everything after type and requestId). {@link FrameCodec} calls it twice
     * per encoding, once on a counting writer to learn the length and once to write, so it must
     * write the same bytes every time and do nothing else.
     */
    void write(BinaryWriter out);

    /** The protocol name of this frame's type, for logs ({@code SEND}, or {@code 0x5a}). */
    default String typeName() {
        return FrameType.describe(typeCode());
    }

    /**
     * A frame whose type this version does not define. Decoding skips its payload; the server
     * answers it with {@code ERROR unsupported} and keeps the connection. Encoding writes the type
     * with an empty payload (used by tests and by probes).
     */
    record Unknown(int requestId, int type) implements Frame {
        public Unknown {
            Checks.u8(type, "type");
            if (FrameType.fromCode(type) != null) {
                throw new IllegalArgumentException("type " + FrameType.describe(type) + " is a known type");
            }
        }

        @Override
        public int typeCode() {
            return type;
        }

        @Override
        public void write(BinaryWriter out) {}
    }
}
