package crumbhub.client.e2e;

import crumbhub.client.ClientException;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * This device as the end-to-end layer sees it, and what its parts share: the store, randomness,
 * the clock, and where loud warnings go (stderr for commands, an inline event in the UI).
 */
record Self(String user, int deviceId, E2eStore store, SecureRandom rng, Clock clock, Consumer<String> warnings) {
    DeviceRef ref() {
        return new DeviceRef(user, deviceId);
    }

    /** This device's keys; a store error if they were never made (the device must log in again). */
    OwnKeys ownKeys(E2eStore.Tx tx) {
        return tx.get(OwnKeys.RECORD).map(OwnKeys::decode).orElseThrow(() -> ClientException.store(
                "this device has no end-to-end keys; run crumbhub-client login again"));
    }
}
