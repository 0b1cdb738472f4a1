package crumbhub.wire;

import java.util.Arrays;

/**
 * One recipient of a SEND_DEVICES request: {@code str8(NAME) user, u32 deviceId, bytes16(BODY) body},
 * the ciphertext for that device only. The body is held by reference and never shown by
 * {@code toString}.
 */
public record DeviceBody(String user, int deviceId, byte[] body) {
    /** Smallest entry on the wire (empty name and body). */
    static final int MIN_LENGTH = 8;

    public DeviceBody {
        Checks.str(user, Limits.NAME, "user");
        Checks.bytes(body, Limits.BODY, "body");
    }

    /** Bytes of this entry on the wire; callers use it to split recipients over several requests. */
    public int encodedLength() {
        return 1 + Utf8.encodedLength(user) + 4 + 2 + body.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceBody d && deviceId == d.deviceId && user.equals(d.user) && Arrays.equals(body, d.body);
    }

    @Override
    public int hashCode() {
        return (31 * user.hashCode() + deviceId) * 31 + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "DeviceBody[user=" + user + ", deviceId=" + Integer.toUnsignedString(deviceId) + ", body=<"
                + body.length + " bytes>]";
    }
}
