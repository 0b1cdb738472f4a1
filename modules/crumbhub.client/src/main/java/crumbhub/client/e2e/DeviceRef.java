package crumbhub.client.e2e;

import java.util.Objects;

/** A device of a user, as the server numbers it; {@link #id()} names the sender in sender-key chains. */
record DeviceRef(String user, int deviceId) {
    DeviceRef {
        Objects.requireNonNull(user, "user");
    }

    /** {@code user/deviceId}: the sender id bound into a sender-key chain (crumbhub.crypto.group). */
    String id() {
        return user + "/" + Integer.toUnsignedString(deviceId);
    }

    @Override
    public String toString() {
        return id();
    }
}
