package crumbhub.server.domain;

import crumbhub.server.domain.Change.KeysPublished;
import crumbhub.server.domain.Change.OneTimePreKeyTaken;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The rules of end-to-end key distribution (protocol §6): a device publishes its identity and
 * prekeys, anyone authenticated reads the identities of a user's devices, and a prekey bundle
 * hands out each one-time prekey at most once. Part of {@link Domain}: same contract (check, then
 * commit; no I/O) and the same core-thread ownership. The server only stores and hands out
 * public keys; it checks the signatures it can ({@link KeyCheck}) and never lets a device's
 * identity change.
 */
public final class KeyRules {
    private final State state;
    private final Consumer<Change> commit;

    KeyRules(State state, Consumer<Change> commit) {
        this.state = state;
        this.commit = commit;
    }

    /**
     * Stores a checked upload for {@code device}: the identity must equal the one published before
     * (if any), signed prekeys are replaced, one-time prekeys with new ids join the pool. Returns
     * the pool's size afterwards.
     */
    public int publish(Device device, KeyCheck.Verified keys) throws Rejected {
        if (device.revoked()) {
            throw new Rejected(Reason.NOT_FOUND, "no such device");
        }
        if (device.identity != null && !MessageDigest.isEqual(device.identity, keys.identity())) {
            throw new Rejected(Reason.FORBIDDEN, "this device's identity key is fixed since its first upload;"
                    + " log in as a new device to use another one");
        }
        var fresh = new ArrayList<OneTimeKey>();
        for (OneTimeKey k : keys.oneTimePreKeys()) {
            if (!device.oneTimePreKeys.containsKey(k.id())) {
                fresh.add(k);
            }
        }
        if (device.oneTimePreKeys.size() + fresh.size() > Domain.MAX_ONE_TIME_PREKEYS) {
            throw new Rejected(Reason.TOO_LARGE, "the server keeps at most " + Domain.MAX_ONE_TIME_PREKEYS
                    + " one-time prekeys per device");
        }
        boolean same = device.identity != null && fresh.isEmpty()
                && MessageDigest.isEqual(device.signedPreKey, keys.signedPreKey())
                && MessageDigest.isEqual(device.kemPreKey, keys.kemPreKey());
        if (!same) {
            commit.accept(new KeysPublished(device.userName(), device.id(), keys.identity(), keys.signedPreKey(),
                    keys.kemPreKey(), fresh));
        }
        return device.oneTimePreKeyCount();
    }

    /** A requested user and the active devices of theirs that published keys, by device id. */
    public record UserKeys(String user, List<Device> devices) {}

    /**
     * The identity keys of every active device of each named user (in request order; an invalid or
     * unknown name gets no devices, like a user without keys).
     */
    public List<UserKeys> identities(List<String> rawUsers) {
        var out = new ArrayList<UserKeys>(rawUsers.size());
        for (String raw : rawUsers) {
            User user = lookup(raw);
            var devices = new ArrayList<Device>();
            if (user != null) {
                for (Device d : user.activeDevices()) {
                    if (d.hasKeys()) {
                        devices.add(d);
                    }
                }
            }
            out.add(new UserKeys(raw, devices));
        }
        return out;
    }

    /** One device's bundle: its published keys and the one-time prekey taken for it (null when the pool was empty). */
    public record Bundle(Device device, OneTimeKey oneTimePreKey) {}

    /**
     * A bundle for each named device of {@code rawUser} that is active and has keys, in request
     * order, each taking (and so removing) the oldest one-time prekey of its device.
     */
    public List<Bundle> takeBundles(String rawUser, List<Integer> deviceIds) {
        return takeBundles(rawUser, deviceIds, d -> true);
    }

    /**
     * As {@link #takeBundles(String, List)}, but a device's one-time prekey is taken only if
     * {@code oneTimeAllowed} says so (asked once per device that has one); otherwise its bundle
     * comes without one, and the signed prekeys still start a session.
     */
    public List<Bundle> takeBundles(String rawUser, List<Integer> deviceIds, Predicate<Device> oneTimeAllowed) {
        User user = lookup(rawUser);
        var out = new ArrayList<Bundle>();
        if (user == null) {
            return out;
        }
        for (int id : new LinkedHashSet<>(deviceIds)) {
            Device d = user.device(id);
            if (d == null || d.revoked() || !d.hasKeys()) {
                continue;
            }
            OneTimeKey k = d.oneTimePreKeys.isEmpty() || !oneTimeAllowed.test(d) ? null
                    : d.oneTimePreKeys.values().iterator().next();
            if (k != null) {
                commit.accept(new OneTimePreKeyTaken(user.name(), d.id(), k.id()));
            }
            out.add(new Bundle(d, k));
        }
        return out;
    }

    private User lookup(String raw) {
        try {
            return state.user(Names.userRef(raw));
        } catch (Rejected invalid) {
            return null;
        }
    }
}
