package crumbhub.wire;

import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * One user in a DEVICE_KEYS_REPLY: {@code str8(NAME) user, u8 n, n × DeviceKey}: every active
 * device of the user that has published end-to-end keys (none for an unknown user).
 */
public record UserDeviceKeys(String user, List<DeviceKey> devices) implements Entries.Entry {
    public UserDeviceKeys {
        Checks.str(user, Limits.NAME, "user");
        devices = List.copyOf(devices);
        if (devices.size() > Limits.DEVICES_PER_USER) {
            throw new IllegalArgumentException("at most " + Limits.DEVICES_PER_USER + " devices per user");
        }
    }

    /** Smallest entry on the wire (empty name, no devices). */
    static final int MIN_LENGTH = Entries.length(new UserDeviceKeys("", List.of()));

    @Override
    public void write(BinaryWriter out) {
        out.str8(user).u8(devices.size());
        for (DeviceKey d : devices) {
            d.write(out);
        }
    }

    static UserDeviceKeys read(BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
        String user = in.str8(Limits.NAME, "user");
        int n = in.count8(DeviceKey.MIN_LENGTH, "devices");
        List<DeviceKey> devices = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            devices.add(DeviceKey.read(in));
        }
        return new UserDeviceKeys(user, devices);
    }
}
