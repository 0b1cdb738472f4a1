package crumbhub.client.e2e;

import crumbhub.client.ClientException;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.Fingerprint;
import crumbhub.crypto.account.AccountPublicKey;
import crumbhub.crypto.account.DeviceCertificate;
import crumbhub.crypto.identity.IdentityPublicKey;
import crumbhub.wire.DeviceKey;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * Which devices speak for a user (docs/crypto.md "Account identity", docs/security.md): only
 * those whose certificate by the user's account identity verifies. The account identity is
 * pinned on first use (TOFU); this user's own is the one this device holds, never the server's.
 * A changed identity of an unverified user is announced loudly and pinned in its place; one of
 * a verified user is not: nothing is sent to them (exit 5) and no message under it is shown
 * until the user is verified again. Safety numbers cover the account identities only, so
 * devices coming and going change nothing.
 */
final class Trust {
    private Trust() {}

    /** A device that passed the checks: who it is and its identity (which decodes). */
    record Device(DeviceRef ref, byte[] identity) {
        /** The identity, decoded again. */
        IdentityPublicKey key() {
            try {
                return IdentityPublicKey.decode(identity);
            } catch (CryptoException e) {
                throw new IllegalStateException("a checked identity no longer decodes", e);
            }
        }
    }

    /** What the server lists for an account (ACCOUNT_KEYS): its identity (empty if none) and certificates by device id. */
    record Listing(byte[] account, Map<Integer, byte[]> certificates) {
        static final Listing NONE = new Listing(new byte[0], Map.of());
    }

    /** Whether a device may speak for its user. */
    sealed interface Verdict {
        record Approved() implements Verdict {}

        /** Not decided from what this device knows: the server's listing is needed. */
        record Unknown() implements Verdict {}

        /** {@code reason}: one sentence naming the user and the device. */
        record Refused(String reason) implements Verdict {}
    }

    /**
     * Checks the devices the server listed for {@code user} (DEVICE_KEYS) against the account
     * identity and the certificates the server served ({@code served}) and returns those that
     * the account approved. Devices of this account that are not approved are handed to
     * {@code pending}.
     *
     * @param sending refuse (identity) if {@code user} is verified and their account identity changed
     */
    static List<Device> check(E2eStore.Tx tx, Self self, String user, List<DeviceKey> listed, Listing served,
                              boolean sending, IntConsumer pending) {
        boolean own = user.equals(self.user());
        byte[] myIdentity = own ? ownIdentity(tx, self) : null;
        PeerTrust trust = load(tx, user);
        byte[] before = trust.encode();
        Optional<AccountPublicKey> account = account(tx, self, trust, user, served.account(), sending);
        var out = new ArrayList<Device>();
        for (DeviceKey k : listed) {
            var ref = new DeviceRef(user, k.deviceId());
            if (own && k.deviceId() == self.deviceId()) {
                if (!PeerTrust.same(k.identity(), myIdentity)) {
                    self.warnings().accept("WARNING: the server lists a different identity key for THIS device (" + ref
                            + "). It may be showing others a key that is not yours.");
                }
                continue;
            }
            if (account.isPresent() && approved(trust, account.get(), ref, k.identity(),
                    served.certificates().get(k.deviceId()))) {
                out.add(new Device(ref, k.identity()));
            } else if (own) {
                pending.accept(k.deviceId());
            }
        }
        save(tx, trust, before);
        return out;
    }

    /**
     * Whether device {@code sender} with identity {@code identity} speaks for its user, from the
     * pins alone ({@code served} null) or with the server's listing of that account.
     */
    static Verdict admit(E2eStore.Tx tx, Self self, DeviceRef sender, byte[] identity, Listing served) {
        PeerTrust trust = load(tx, sender.user());
        boolean own = sender.user().equals(self.user());
        Optional<byte[]> pinned = own ? AccountState.load(tx).map(a -> a.publicKey().encode()) : trust.account();
        if (pinned.isPresent() && trust.account().map(a -> PeerTrust.same(a, pinned.get())).orElse(false)
                && trust.certified(sender.deviceId()).map(i -> PeerTrust.same(i, identity)).orElse(false)) {
            return new Verdict.Approved();
        }
        if (own && pinned.isEmpty()) {
            return new Verdict.Refused("this device has no account identity yet, so it cannot tell which devices"
                    + " of " + sender.user() + " are approved (run crumbhub-client listen again)");
        }
        if (served == null) {
            return new Verdict.Unknown();
        }
        byte[] before = trust.encode();
        Optional<AccountPublicKey> account = account(tx, self, trust, sender.user(), served.account(), false);
        boolean ok = account.isPresent() && approved(trust, account.get(), sender, identity,
                served.certificates().get(sender.deviceId()));
        save(tx, trust, before);
        if (ok) {
            return new Verdict.Approved();
        }
        return new Verdict.Refused(notApproved(sender));
    }

    /**
     * The account identity of {@code user} to check their signatures with (room statements): this
     * device's own for this user, else the pinned one, pinning {@code served} on first sight, as
     * {@link #check} does. Empty if there is none.
     */
    static Optional<AccountPublicKey> accountKey(E2eStore.Tx tx, Self self, String user, byte[] served) {
        PeerTrust trust = load(tx, user);
        byte[] before = trust.encode();
        Optional<AccountPublicKey> key = account(tx, self, trust, user, served, false);
        save(tx, trust, before);
        return key;
    }

    static String notApproved(DeviceRef d) {
        return "WARNING: it claims to come from " + d.user() + "'s device " + Integer.toUnsignedString(d.deviceId())
                + ", which " + d.user() + "'s account identity never approved; it is not shown as " + d.user()
                + "'s message";
    }

    /** Whether {@code certificate} is {@code account}'s approval of the device; a checked one is remembered. */
    private static boolean approved(PeerTrust trust, AccountPublicKey account, DeviceRef ref, byte[] identity,
                                    byte[] certificate) {
        if (trust.certified(ref.deviceId()).map(i -> PeerTrust.same(i, identity)).orElse(false)) {
            return true;
        }
        if (certificate == null || !decodes(identity)) {
            return false;
        }
        try {
            if (DeviceCertificate.decode(certificate).verifies(account, ref.user(), ref.deviceId(), identity)) {
                trust.certify(ref.deviceId(), identity);
                return true;
            }
            return false;
        } catch (CryptoException e) {
            return false;
        }
    }

    /**
     * The account identity to check {@code user}'s devices against: this device's own for this
     * user; else the pinned one, pinning {@code served} on first sight; a changed one is warned about
     * and pinned in its place unless the user is verified. Empty if there is none.
     */
    private static Optional<AccountPublicKey> account(E2eStore.Tx tx, Self self, PeerTrust trust, String user,
                                                      byte[] served, boolean sending) {
        if (user.equals(self.user())) {
            var mine = AccountState.load(tx).orElseThrow(() -> ClientException.identity(
                    "this device has no account identity yet; run crumbhub-client login again"));
            byte[] encoded = mine.publicKey().encode();
            if (served.length > 0 && !PeerTrust.same(served, encoded)) {
                self.warnings().accept("WARNING: the server lists a different account identity for YOUR account ("
                        + shortPrint(served) + ", yours is " + shortPrint(encoded) + "). It may be showing others a"
                        + " key that is not yours.");
            }
            trust.pinAccount(encoded);
            return Optional.of(mine.publicKey());
        }
        Optional<byte[]> pinned = trust.account();
        if (pinned.isEmpty() && served.length > 0) {
            trust.pinAccount(served);
            pinned = Optional.of(served);
        } else if (pinned.isPresent() && served.length > 0 && !PeerTrust.same(pinned.get(), served)) {
            if (trust.isVerified()) {
                if (sending) {
                    throw changedSinceVerified(user);
                }
                self.warnings().accept(changedWarning(user, pinned.get(), served) + " You verified " + user
                        + ": nothing under the new identity is shown or sent until you verify again.");
            } else {
                self.warnings().accept(changedWarning(user, pinned.get(), served));
                trust.pinAccount(served);
                pinned = Optional.of(served);
            }
        }
        if (sending && trust.isVerified() && pinned.isPresent() && !trust.matchesVerified(pinned.get())) {
            throw changedSinceVerified(user);
        }
        if (pinned.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(AccountPublicKey.decode(pinned.get()));
        } catch (CryptoException e) {
            self.warnings().accept("WARNING: the server sent an invalid account identity for " + user + "; ignoring it");
            return Optional.empty();
        }
    }

    static ClientException changedSinceVerified(String user) {
        return ClientException.identity("the account identity of " + user + " changed since you verified them (their"
                + " account was reset, or someone is intercepting); nothing was sent. Compare safety numbers again"
                + " with crumbhub-client verify " + user + ", then confirm with --confirm");
    }

    private static String changedWarning(String user, byte[] was, byte[] now) {
        return "WARNING: the account identity of " + user + " has CHANGED (was " + shortPrint(was) + ", now "
                + shortPrint(now) + "): their account was reset, or someone is intercepting your messages."
                + " Compare safety numbers: crumbhub-client verify " + user + ".";
    }

    private static byte[] ownIdentity(E2eStore.Tx tx, Self self) {
        try (OwnKeys own = self.ownKeys(tx)) {
            return own.identity.publicKey().encode();
        }
    }

    /** Whether an identity decodes, its binding signature included. */
    private static boolean decodes(byte[] identity) {
        try {
            IdentityPublicKey.decode(identity);
            return true;
        } catch (CryptoException e) {
            return false;
        }
    }

    /** Writes {@code trust} if it differs from {@code before}, its encoding when it was loaded. */
    private static void save(E2eStore.Tx tx, PeerTrust trust, byte[] before) {
        byte[] now = trust.encode();
        if (!java.util.Arrays.equals(before, now)) {
            tx.put(PeerTrust.record(trust.user), now);
        }
    }

    static PeerTrust load(E2eStore.Tx tx, String user) {
        return tx.get(PeerTrust.record(user)).map(b -> PeerTrust.decode(user, b)).orElseGet(() -> new PeerTrust(user));
    }

    /** The first 4 groups of a key's SHA-256 fingerprint, enough to tell two keys apart in a warning. */
    static String shortPrint(byte[] key) {
        return Fingerprint.of(key).substring(0, 19);
    }
}
