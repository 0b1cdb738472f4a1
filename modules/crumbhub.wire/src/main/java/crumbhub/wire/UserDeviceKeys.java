package crumbhub.wire;

import java.util.List;

/**
 * One user in a DEVICE_KEYS_REPLY: {@code str8(NAME) user, u8 n, n × DeviceKey}: every active
 * device of the user that has published end-to-end keys (none for an unknown user).
 */
public record UserDeviceKeys(String user, List<DeviceKey> devices) {
    /** Smallest entry on the wire (empty name, no devices). */
    static final int MIN_LENGTH = 2;

    public UserDeviceKeys {
        Checks.str(user, Limits.NAME, "user");
        devices = List.copyOf(devices);
        if (devices.size() > Limits.DEVICES_PER_USER) {
            throw new IllegalArgumentException("at most " + Limits.DEVICES_PER_USER + " devices per user");
        }
    }

    int encodedLength() {
        int n = 1 + Utf8.encodedLength(user) + 1;
        for (DeviceKey d : devices) {
            n += d.encodedLength();
        }
        return n;
    }
}
