package crumbhub.wire;

/**
 * The frame types of docs/protocol.md §2, by their type byte. Types not listed here decode as
 * {@link Frame.Unknown}. Types 0x50–0x6f belong to end-to-end key distribution; 0x57–0x6f are
 * still free.
 */
public enum FrameType {
    OK(0x01), ERROR(0x02),
    REGISTER(0x10), LOGIN(0x11), RESUME(0x12), AUTH_OK(0x13), LOGOUT(0x14), DEVICES(0x15),
    DEVICE_LIST(0x16), DEVICE_REVOKE(0x17),
    ROOM_CREATE(0x20), ROOM_INVITE(0x21), ROOM_JOIN(0x22), ROOM_LEAVE(0x23), ROOM_KICK(0x24),
    ROOM_LIST(0x25), ROOM_LIST_REPLY(0x26), ROOM_MEMBERS(0x27), MEMBER_LIST(0x28),
    SEND(0x30), SEND_OK(0x31), SYNC(0x32), SYNC_DONE(0x33), DELIVER(0x34), ACK(0x35),
    PING(0x40), PONG(0x41),
    KEYS_PUBLISH(0x50), KEYS_STATUS(0x51), DEVICE_KEYS(0x52), DEVICE_KEYS_REPLY(0x53), KEY_BUNDLES(0x54),
    KEY_BUNDLES_REPLY(0x55), SEND_DEVICES(0x56);

    private static final FrameType[] BY_CODE = new FrameType[256];

    static {
        for (FrameType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    FrameType(int code) {
        this.code = code;
    }

    /** The type byte. */
    public int code() {
        return code;
    }

    /** The type for a type byte (0..255), or null if this version does not define it. */
    public static FrameType fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** The protocol name of a type byte for logs: {@code SEND}, or {@code 0x5a} when unknown. */
    public static String describe(int code) {
        FrameType t = fromCode(code);
        return t != null ? t.name() : String.format("0x%02x", code);
    }
}
