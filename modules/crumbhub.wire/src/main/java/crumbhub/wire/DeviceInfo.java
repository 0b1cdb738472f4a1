package crumbhub.wire;

import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;

/**
 * One entry of DEVICE_LIST: {@code u32 id, str8(DEVICE_NAME) name, u64 createdMs, u64 lastSeenMs,
 * u8 current}. {@code id} is a u32 held in an int.
 */
public record DeviceInfo(int id, String name, long createdMs, long lastSeenMs, boolean current) implements Entries.Entry {
    public DeviceInfo {
        Checks.str(name, Limits.DEVICE_NAME, "device name");
    }

    /** Smallest entry on the wire (empty name); the decoder's plausibility bound. */
    static final int MIN_LENGTH = Entries.length(new DeviceInfo(0, "", 0, 0, false));

    @Override
    public void write(BinaryWriter out) {
        out.u32(id).str8(name).u64(createdMs).u64(lastSeenMs).flag(current);
    }

    static DeviceInfo read(BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
        return new DeviceInfo(in.u32("id"), in.str8(Limits.DEVICE_NAME, "name"), in.u64("createdMs"),
                in.u64("lastSeenMs"), in.flag("current"));
    }
}
