package crumbhub.server.domain;

import crumbhub.server.domain.Change.KeysPublished;
import crumbhub.server.domain.Change.OneTimePreKeyTaken;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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

    /**
     * Adds checked one-time ML-KEM prekeys to {@code device}'s pool: the device must have published
     * the identity that signed them; ids already in the pool are skipped. Returns the pool's size
     * afterwards (an empty upload only asks for it).
     */
    public int publishKem(Device device, KeyCheck.VerifiedKem keys) throws Rejected {
        if (device.revoked()) {
            throw new Rejected(Reason.NOT_FOUND, "no such device");
        }
        if (device.identity == null) {
            throw new Rejected(Reason.WRONG_STATE, "publish this device's keys (KEYS_PUBLISH) first");
        }
        if (!MessageDigest.isEqual(device.identity, keys.identity())) {
            throw new Rejected(Reason.FORBIDDEN, "these one-time KEM prekeys are signed by another identity than this device's");
        }
        var fresh = new ArrayList<OneTimeKey>();
        for (OneTimeKey k : keys.oneTimeKemPreKeys()) {
            if (!device.oneTimeKemPreKeys.containsKey(k.id())) {
                fresh.add(k);
            }
        }
        if (device.oneTimeKemPreKeys.size() + fresh.size() > Domain.MAX_ONE_TIME_KEM_PREKEYS) {
            throw new Rejected(Reason.TOO_LARGE, "the server keeps at most " + Domain.MAX_ONE_TIME_KEM_PREKEYS
                    + " one-time KEM prekeys per device");
        }
        if (!fresh.isEmpty()) {
            commit.accept(new Change.KemPreKeysPublished(device.userName(), device.id(), fresh));
        }
        return device.oneTimeKemPreKeyCount();
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

    /**
     * One device's bundle: its published keys and the one-time prekey and one-time ML-KEM prekey
     * taken for it (each null when its pool was empty or none was asked for).
     */
    public record Bundle(Device device, OneTimeKey oneTimePreKey, OneTimeKey oneTimeKemPreKey) {}

    /**
     * A bundle for each named device of {@code rawUser} that is active and has keys, in request
     * order, each taking (and so removing) the oldest one-time prekey of its device.
     */
    public List<Bundle> takeBundles(String rawUser, List<Integer> deviceIds) {
        return takeBundles(rawUser, deviceIds, d -> true, false);
    }

    /**
     * As {@link #takeBundles(String, List)}, but a device's one-time prekey is taken only if
     * {@code oneTimeAllowed} says so (asked once per device that has one); otherwise its bundle
     * comes without one, and the signed prekeys still start a session. With {@code withKem} each
     * bundle also takes (and removes for good) the oldest one-time ML-KEM prekey, under the same
     * {@code oneTimeAllowed} answer; without a one-time ML-KEM prekey the initiator uses the
     * last-resort one.
     */
    public List<Bundle> takeBundles(String rawUser, List<Integer> deviceIds, Predicate<Device> oneTimeAllowed,
                                    boolean withKem) {
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
            boolean any = !d.oneTimePreKeys.isEmpty() || withKem && !d.oneTimeKemPreKeys.isEmpty();
            boolean allowed = any && oneTimeAllowed.test(d);
            OneTimeKey k = !allowed || d.oneTimePreKeys.isEmpty() ? null : d.oneTimePreKeys.values().iterator().next();
            if (k != null) {
                commit.accept(new OneTimePreKeyTaken(user.name(), d.id(), k.id()));
            }
            OneTimeKey kem = !allowed || !withKem || d.oneTimeKemPreKeys.isEmpty() ? null
                    : d.oneTimeKemPreKeys.values().iterator().next();
            if (kem != null) {
                commit.accept(new Change.OneTimeKemPreKeyTaken(user.name(), d.id(), kem.id()));
            }
            out.add(new Bundle(d, k, kem));
        }
        return out;
    }

    /**
     * Snapshot section (version 5): {@code u32 n, n × (str16 user, u32 m, m × (u32 deviceId, u32 k,
     * k × (u32 id, bytes32 key)))} for the devices with one-time ML-KEM prekeys.
     */
    static void writeKemSnapshot(BinaryWriter w, Collection<User> users) {
        var with = users.stream().filter(u -> u.devices.values().stream().anyMatch(d -> !d.oneTimeKemPreKeys.isEmpty()))
                .toList();
        w.u32(with.size());
        for (User u : with) {
            var devices = u.devices.values().stream().filter(d -> !d.oneTimeKemPreKeys.isEmpty()).toList();
            w.str16(u.name()).u32(devices.size());
            for (Device d : devices) {
                w.u32(d.id()).u32(d.oneTimeKemPreKeys.size());
                for (OneTimeKey k : d.oneTimeKemPreKeys.values()) {
                    w.u32(k.id()).bytes32(k.key());
                }
            }
        }
    }

    static void readKemSnapshot(BinaryReader<CorruptStateException> r, Map<String, User> users) {
        int n = r.count32(100_000_000);
        for (int i = 0; i < n; i++) {
            String name = r.str16();
            User u = users.get(name);
            if (u == null) {
                throw new CorruptStateException("KEM prekey section names unknown user " + name);
            }
            int m = r.count32(100_000);
            for (int j = 0; j < m; j++) {
                int id = r.u32();
                Device d = u.device(id);
                if (d == null) {
                    throw new CorruptStateException("KEM prekeys for unknown device " + name + "/" + id);
                }
                int k = r.count32(Domain.MAX_ONE_TIME_KEM_PREKEYS);
                for (int x = 0; x < k; x++) {
                    var key = new OneTimeKey(r.u32(), r.bytes32(ChangeCodec.MAX_KEY_BYTES));
                    d.oneTimeKemPreKeys.put(key.id(), key);
                }
            }
        }
    }

    private User lookup(String raw) {
        try {
            return state.user(Names.userRef(raw));
        } catch (Rejected invalid) {
            return null;
        }
    }
}
