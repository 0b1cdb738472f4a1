package crumbhub.wire;

import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import java.util.Arrays;

/**
 * One recipient of a SEND_DEVICES request: {@code str8(NAME) user, u32 deviceId, bytes16(BODY) body},
 * the ciphertext for that device only. The body is held by reference and never shown by
 * {@code toString}.
 */
public record DeviceBody(String user, int deviceId, byte[] body) implements Entries.Entry {
    public DeviceBody {
        Checks.str(user, Limits.NAME, "user");
        Checks.bytes(body, Limits.BODY, "body");
    }

    /** Smallest entry on the wire (empty name and body). */
    static final int MIN_LENGTH = Entries.length(new DeviceBody("", 0, new byte[0]));

    /** Bytes of this entry on the wire; callers use it to split recipients over several requests. */
    public int encodedLength() {
        return Entries.length(this);
    }

    @Override
    public void write(BinaryWriter out) {
        out.str8(user).u32(deviceId).bytes16(body);
    }

    static DeviceBody read(BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
        return new DeviceBody(in.str8(Limits.NAME, "user"), in.u32("deviceId"), in.bytes16(Limits.BODY, "body"));
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
