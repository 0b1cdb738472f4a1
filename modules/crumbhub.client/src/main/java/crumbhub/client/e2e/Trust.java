package crumbhub.client.e2e;

import crumbhub.client.ClientException;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.Fingerprint;
import crumbhub.crypto.identity.IdentityPublicKey;
import crumbhub.wire.DeviceKey;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Trust on first use for device identities, and verification (docs/design.md §5): the first identity
 * seen for a device is pinned; a different one later is announced loudly and pinned in its
 * place; and a user whose safety number was confirmed must be verified again before anything
 * is sent to them once their device set differs from the confirmed one.
 */
final class Trust {
    private Trust() {}

    /** A device that passed the checks: who it is and its identity (which decodes; checked when it was pinned). */
    record Device(DeviceRef ref, byte[] identity) {
        /** The identity, decoded again (its binding signature is verified once more). */
        IdentityPublicKey key() {
            try {
                return IdentityPublicKey.decode(identity);
            } catch (CryptoException e) {
                throw new IllegalStateException("a checked identity no longer decodes", e);
            }
        }
    }

    /**
     * Checks the devices the server listed for {@code user} against the pins (in {@code tx}),
     * pins new ones, re-pins changed ones with a warning, and returns those whose identity
     * decodes. Devices the server lists for {@code me}/{@code myDevice} are compared with this
     * device's own identity instead.
     *
     * @param sending refuse (identity) if {@code user} is verified and the device set is not the verified one
     */
    static List<Device> check(E2eStore.Tx tx, String user, List<DeviceKey> listed, String me, int myDevice,
                              byte[] myIdentity, boolean sending, Consumer<String> warnings) {
        PeerTrust trust = load(tx, user);
        boolean changed = false;
        var out = new ArrayList<Device>();
        var identities = new ArrayList<byte[]>();
        for (DeviceKey k : listed) {
            var ref = new DeviceRef(user, k.deviceId());
            if (user.equals(me) && k.deviceId() == myDevice) {
                if (!PeerTrust.same(k.identity(), myIdentity)) {
                    warnings.accept("WARNING: the server lists a different identity key for THIS device (" + ref
                            + "). It may be showing others a key that is not yours.");
                }
                identities.add(myIdentity);
                continue;
            }
            var pinned = trust.pinned(k.deviceId());
            boolean known = pinned.isPresent() && PeerTrust.same(pinned.get(), k.identity());
            if (!known && !decodes(k.identity())) {
                warnings.accept("WARNING: the server sent an invalid identity key for device " + ref + "; skipping it");
                continue;
            }
            identities.add(k.identity());
            if (pinned.isEmpty()) {
                trust.pin(k.deviceId(), k.identity());
                changed = true;
            } else if (!PeerTrust.same(pinned.get(), k.identity())) {
                warnings.accept(changedWarning(ref, pinned.get(), k.identity()));
                trust.pin(k.deviceId(), k.identity());
                changed = true;
            }
            out.add(new Device(ref, k.identity()));
        }
        if (changed) {
            tx.put(PeerTrust.record(user), trust.encode());
        }
        if (sending && !user.equals(me) && trust.isVerified() && !trust.matchesVerified(identities)) {
            throw ClientException.identity("the keys of " + user + " changed since you verified them (a device was"
                    + " added, removed or replaced); nothing was sent. Compare safety numbers again with"
                    + " crumbhub-client verify " + user + ", then confirm with --confirm");
        }
        return out;
    }

    /** Pins the identity seen in an incoming session set-up; a change is warned about and pinned in its place. */
    static void seen(E2eStore.Tx tx, DeviceRef ref, byte[] identity, Consumer<String> warnings) {
        PeerTrust trust = load(tx, ref.user());
        var pinned = trust.pinned(ref.deviceId());
        if (pinned.isPresent() && PeerTrust.same(pinned.get(), identity)) {
            return;
        }
        if (pinned.isPresent()) {
            warnings.accept(changedWarning(ref, pinned.get(), identity));
        }
        trust.pin(ref.deviceId(), identity);
        tx.put(PeerTrust.record(ref.user()), trust.encode());
    }

    /** Whether an identity decodes, its binding signature included (about 0.6 ms: done once per new key). */
    private static boolean decodes(byte[] identity) {
        try {
            IdentityPublicKey.decode(identity);
            return true;
        } catch (CryptoException e) {
            return false;
        }
    }

    static PeerTrust load(E2eStore.Tx tx, String user) {
        return tx.get(PeerTrust.record(user)).map(b -> PeerTrust.decode(user, b)).orElseGet(() -> new PeerTrust(user));
    }

    private static String changedWarning(DeviceRef ref, byte[] was, byte[] now) {
        return "WARNING: the identity key of " + ref.user() + "'s device " + Integer.toUnsignedString(ref.deviceId())
                + " has CHANGED (was " + shortPrint(was) + ", now " + shortPrint(now) + "). Someone may be"
                + " intercepting your messages, or the device was set up again. Compare safety numbers:"
                + " crumbhub-client verify " + ref.user();
    }

    /** The first 4 groups of the identity's SHA-256 fingerprint, enough to tell two keys apart in a warning. */
    static String shortPrint(byte[] identity) {
        return Fingerprint.of(identity).substring(0, 19);
    }
}
