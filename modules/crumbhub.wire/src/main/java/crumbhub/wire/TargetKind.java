package crumbhub.wire;

import crumbhub.crypto.binary.BinaryReader;

/** What a SEND/DELIVER {@code target} names (docs/protocol.md §2 {@code kind}). */
public enum TargetKind {
    /** {@code target} is a room name. */
    ROOM(1),
    /** {@code target} is the peer's user name, as the sender addressed it. */
    DIRECT(2);

    private final int code;

    TargetKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Reads the {@code u8 kind} field; an undefined value is malformed. */
    static TargetKind read(BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
        int code = in.u8("kind");
        TargetKind k = fromCode(code);
        if (k == null) {
            throw in.malformed("undefined target kind " + code);
        }
        return k;
    }

    /** The kind for a wire value, or null if the value is not defined. */
    public static TargetKind fromCode(int code) {
        return switch (code) {
            case 1 -> ROOM;
            case 2 -> DIRECT;
            default -> null;
        };
    }
}
