package crumbhub.client.e2e;

import crumbhub.crypto.CryptoException;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import crumbhub.crypto.ratchet.RatchetSession;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The Double Ratchet sessions with one peer device, most recently used first (record
 * {@code session:USER:DEVICE}). Several can exist when both devices started a session at the
 * same time; whichever decrypts a message moves to the front and is used for sending, so both
 * sides settle on one. Every session is with the device identity held here; sessions with an
 * identity that is no longer the pinned one are dropped by the caller.
 *
 * <p>Also holds the results of the last deliveries opened with these sessions ({@link RecentResults}).
 *
 * <p>Encoding, version 1: {@code u8 1, bytes16 identity, u8 n, n × bytes session, recent results}. Secret.
 * Not thread-safe; used inside one store transaction.
 */
final class DeviceSessions implements AutoCloseable {
    private static final int VERSION = 1;
    /** Sessions kept per device: the active one and a few started concurrently or replaced. */
    static final int MAX_SESSIONS = 4;
    /** A serialized session with a full skipped-key store is about 150 KB; far below this. */
    private static final int MAX_SESSION_BYTES = 512 * 1024;

    final byte[] identity;
    private final List<RatchetSession> sessions = new ArrayList<>();
    private RecentResults recent = new RecentResults();

    DeviceSessions(byte[] identity) {
        this.identity = identity.clone();
    }

    static String record(String user, int deviceId) {
        return "session:" + user + ":" + Integer.toUnsignedString(deviceId);
    }

    /** The session to send with. */
    Optional<RatchetSession> active() {
        return sessions.isEmpty() ? Optional.empty() : Optional.of(sessions.get(0));
    }

    List<RatchetSession> all() {
        return List.copyOf(sessions);
    }

    /** The session named by a PQXDH base key, if this device has it. */
    Optional<RatchetSession> withBaseKey(byte[] baseKey) {
        for (RatchetSession s : sessions) {
            if (Arrays.equals(s.baseKey(), baseKey)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** Makes {@code s} the active session (adding it if new); the oldest beyond {@link #MAX_SESSIONS} are closed. */
    void promote(RatchetSession s) {
        sessions.remove(s);
        sessions.add(0, s);
        while (sessions.size() > MAX_SESSIONS) {
            sessions.remove(sessions.size() - 1).close();
        }
    }

    RecentResults recent() {
        return recent;
    }

    /** Keeps the recent results of the record this one replaces (same device, new identity or first session). */
    void keepRecent(RecentResults results) {
        recent = results;
    }

    /** Drops skipped message keys older than {@code maxAgeMs} in every session (docs/crypto.md, "Skipped keys"); how many. */
    int expireSkippedKeys(long nowMs, long maxAgeMs) {
        int n = 0;
        for (RatchetSession s : sessions) {
            n += s.expireSkippedKeys(nowMs, maxAgeMs);
        }
        return n;
    }

    /** When the oldest skipped key of these sessions was made: -1 if unknown, {@code Long.MAX_VALUE} if none. */
    long oldestSkippedKeyMs() {
        long oldest = Long.MAX_VALUE;
        for (RatchetSession s : sessions) {
            oldest = SkippedKeyExpiry.older(oldest, s.oldestSkippedKeyMs());
        }
        return oldest;
    }

    byte[] encode() {
        var out = BinaryWriter.growable(256).u8(VERSION).bytes16(identity).u8(sessions.size());
        for (RatchetSession s : sessions) {
            byte[] state = s.serialize();
            out.bytes32(state);
            Arrays.fill(state, (byte) 0);
        }
        recent.write(out);
        return out.toByteArray();
    }

    static DeviceSessions decode(String record, byte[] encoded) {
        DeviceSessions result = null;
        try {
            var in = BinaryReader.of(encoded, "end-to-end record", Malformed::of);
            if (in.u8() != VERSION) {
                throw new Malformed("unknown version");
            }
            result = new DeviceSessions(in.bytes16());
            int n = in.u8();
            if (n > MAX_SESSIONS) {
                throw new Malformed(n + " sessions");
            }
            for (int i = 0; i < n; i++) {
                byte[] state = in.bytes32(MAX_SESSION_BYTES);
                try {
                    result.sessions.add(RatchetSession.deserialize(state));
                } finally {
                    Arrays.fill(state, (byte) 0);
                }
            }
            result.recent = RecentResults.read(in);
            in.end();
            return result;
        } catch (Malformed | CryptoException e) {
            if (result != null) {
                result.close();
            }
            throw Malformed.damaged(record, e);
        }
    }

    @Override
    public void close() {
        for (RatchetSession s : sessions) {
            s.close();
        }
        sessions.clear();
    }

    @Override
    public String toString() {
        return "DeviceSessions[" + sessions.size() + "]";
    }
}
