package crumbhub.wire;

/**
 * One entry of DEVICE_LIST: {@code u32 id, str8(DEVICE_NAME) name, u64 createdMs, u64 lastSeenMs,
 * u8 current}. {@code id} is a u32 held in an int.
 */
public record DeviceInfo(int id, String name, long createdMs, long lastSeenMs, boolean current) {
    /** Smallest entry on the wire (empty name); the decoder's plausibility bound. */
    static final int MIN_LENGTH = 22;

    public DeviceInfo {
        Checks.str(name, Limits.DEVICE_NAME, "device name");
    }

    /** Bytes of this entry on the wire. */
    int encodedLength() {
        return 4 + 1 + Utf8.encodedLength(name) + 8 + 8 + 1;
    }
}
