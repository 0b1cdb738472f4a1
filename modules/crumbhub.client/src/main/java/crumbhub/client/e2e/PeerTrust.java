package crumbhub.client.e2e;

import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What this device knows about one user's device identities (docs/design.md §5, verification): the
 * identity pinned for each device the first time it was seen (TOFU), and, once the user
 * confirmed the safety number with {@code verify --confirm}, the set of identities that number
 * covered. Record {@code peer:USER}.
 *
 * <p>Encoding, version 1: {@code u8 1, u16 n, n × (u32 deviceId, bytes16 identity), u8 verified,
 * [u16 m, m × bytes16 identity]}. Not thread-safe; used inside one store transaction.
 */
final class PeerTrust {
    private static final int VERSION = 1;
    private static final int MIN_ENTRY = 6;

    final String user;
    /** Device id (unsigned order) to its pinned identity encoding. */
    private final TreeMap<Long, byte[]> pinned = new TreeMap<>();
    /** The identities covered by the confirmed safety number (hex, sorted), or null if never verified. */
    private TreeSet<String> verified;

    PeerTrust(String user) {
        this.user = user;
    }

    static String record(String user) {
        return "peer:" + user;
    }

    Optional<byte[]> pinned(int deviceId) {
        return Optional.ofNullable(pinned.get(Integer.toUnsignedLong(deviceId))).map(byte[]::clone);
    }

    void pin(int deviceId, byte[] identity) {
        pinned.put(Integer.toUnsignedLong(deviceId), identity.clone());
    }

    boolean isVerified() {
        return verified != null;
    }

    /** Whether {@code identities} is exactly the set that was verified (false if never verified). */
    boolean matchesVerified(Collection<byte[]> identities) {
        return verified != null && verified.equals(hexSet(identities));
    }

    /** Marks {@code identities} (the user's whole current device set) as verified. */
    void verify(Collection<byte[]> identities) {
        verified = hexSet(identities);
    }

    private static TreeSet<String> hexSet(Collection<byte[]> identities) {
        var set = new TreeSet<String>();
        for (byte[] id : identities) {
            set.add(HexFormat.of().formatHex(id));
        }
        return set;
    }

    byte[] encode() {
        var out = BinaryWriter.growable(256).u8(VERSION).u16(pinned.size());
        for (var e : pinned.entrySet()) {
            out.u32((int) (long) e.getKey()).bytes16(e.getValue());
        }
        out.u8(verified == null ? 0 : 1);
        if (verified != null) {
            out.u16(verified.size());
            for (String hex : verified) {
                out.bytes16(HexFormat.of().parseHex(hex));
            }
        }
        return out.toByteArray();
    }

    static PeerTrust decode(String user, byte[] encoded) {
        try {
            var in = BinaryReader.of(encoded, "end-to-end record", Malformed::of);
            if (in.u8() != VERSION) {
                throw new Malformed("unknown version");
            }
            var trust = new PeerTrust(user);
            int n = in.count16(0xFFFF, MIN_ENTRY);
            for (int i = 0; i < n; i++) {
                trust.pin(in.u32(), in.bytes16());
            }
            if (in.flag()) {
                int m = in.count16(0xFFFF, 2);
                List<byte[]> ids = new ArrayList<>(m);
                for (int i = 0; i < m; i++) {
                    ids.add(in.bytes16());
                }
                trust.verify(ids);
            }
            in.end();
            return trust;
        } catch (Malformed e) {
            throw Malformed.damaged(record(user), e);
        }
    }

    @Override
    public String toString() {
        return "PeerTrust[" + user + ", devices=" + pinned.size() + ", verified=" + isVerified() + "]";
    }

    /** Identities equal byte for byte. */
    static boolean same(byte[] a, byte[] b) {
        return Arrays.equals(a, b);
    }
}
