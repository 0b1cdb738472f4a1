package crumbhub.client.e2e;

import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;

import java.util.Arrays;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What this device knows about one user's account (docs/crypto.md "Account identity",
 * "Safety numbers"): the account identity pinned the first time it was seen (TOFU), the devices
 * whose certificate by that identity this device checked (device id to device identity), and,
 * once the user confirmed the safety number with {@code verify --confirm}, the account identity
 * that number covered. Record {@code peer:USER}.
 *
 * <p>Encoding, version 2: {@code u8 2, bytes16 account (empty if none), u16 n, n × (u32 deviceId,
 * bytes16 identity), u8 verified, [bytes16 verifiedAccount]}. Version 1 (device pins before
 * account identities) still decodes: its pins were never checked against an account, so they are
 * dropped, and a user verified under it must be verified again (the verified account is then
 * empty, which matches no identity). Not thread-safe; used inside one store transaction.
 */
final class PeerTrust {
    private static final int VERSION = 2;
    private static final int MIN_ENTRY = 6;

    final String user;
    /** The pinned account identity encoding, or null if none was seen yet. */
    private byte[] account;
    /** Device id (unsigned order) to the identity its checked certificate names. */
    private final TreeMap<Long, byte[]> certified = new TreeMap<>();
    /** The account identity covered by the confirmed safety number, or null if never verified. */
    private byte[] verified;

    PeerTrust(String user) {
        this.user = user;
    }

    static String record(String user) {
        return "peer:" + user;
    }

    Optional<byte[]> account() {
        return Optional.ofNullable(account).map(byte[]::clone);
    }

    /** Pins {@code identity} as the account's; a different one than before also forgets every checked device. */
    void pinAccount(byte[] identity) {
        if (account != null && !same(account, identity)) {
            certified.clear();
        }
        account = identity.clone();
    }

    /** The identity of {@code deviceId} whose certificate was checked under the pinned account, if any. */
    Optional<byte[]> certified(int deviceId) {
        return Optional.ofNullable(certified.get(Integer.toUnsignedLong(deviceId))).map(byte[]::clone);
    }

    /** The ids of the devices whose certificate was checked, in unsigned order. */
    java.util.List<Long> certifiedIds() {
        return java.util.List.copyOf(certified.keySet());
    }

    void certify(int deviceId, byte[] identity) {
        certified.put(Integer.toUnsignedLong(deviceId), identity.clone());
    }

    boolean isVerified() {
        return verified != null;
    }

    /** Whether {@code identity} is the account identity that was verified (false if never verified). */
    boolean matchesVerified(byte[] identity) {
        return verified != null && same(verified, identity);
    }

    /** Marks {@code identity} (pinned with it) as verified. */
    void verify(byte[] identity) {
        pinAccount(identity);
        verified = identity.clone();
    }

    byte[] encode() {
        var out = BinaryWriter.growable(4_096).u8(VERSION).bytes16(account == null ? new byte[0] : account)
                .u16(certified.size());
        for (var e : certified.entrySet()) {
            out.u32((int) (long) e.getKey()).bytes16(e.getValue());
        }
        out.u8(verified == null ? 0 : 1);
        if (verified != null) {
            out.bytes16(verified);
        }
        return out.toByteArray();
    }

    static PeerTrust decode(String user, byte[] encoded) {
        try {
            var in = BinaryReader.of(encoded, "end-to-end record", Malformed::of);
            int version = in.u8();
            if (version == 1) {
                return legacy(user, in);
            }
            if (version != VERSION) {
                throw new Malformed("unknown version");
            }
            var trust = new PeerTrust(user);
            byte[] account = in.bytes16();
            trust.account = account.length == 0 ? null : account;
            int n = in.count16(0xFFFF, MIN_ENTRY);
            for (int i = 0; i < n; i++) {
                trust.certify(in.u32(), in.bytes16());
            }
            if (in.flag()) {
                trust.verified = in.bytes16();
            }
            in.end();
            return trust;
        } catch (Malformed e) {
            throw Malformed.damaged(record(user), e);
        }
    }

    /** Version 1: {@code u16 n, n × (u32 deviceId, bytes16 identity), u8 verified, [u16 m, m × bytes16 identity]}. */
    private static PeerTrust legacy(String user, BinaryReader<Malformed> in) throws Malformed {
        var trust = new PeerTrust(user);
        int n = in.count16(0xFFFF, MIN_ENTRY);
        for (int i = 0; i < n; i++) {
            in.u32();
            in.bytes16();
        }
        if (in.flag()) {
            int m = in.count16(0xFFFF, 2);
            for (int i = 0; i < m; i++) {
                in.bytes16();
            }
            trust.verified = new byte[0];
        }
        in.end();
        return trust;
    }

    @Override
    public String toString() {
        return "PeerTrust[" + user + ", account=" + (account != null) + ", devices=" + certified.size() + ", verified="
                + isVerified() + "]";
    }

    /** Keys equal byte for byte. */
    static boolean same(byte[] a, byte[] b) {
        return Arrays.equals(a, b);
    }
}
