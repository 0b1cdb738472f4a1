package crumbhub.client.e2e;

import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;

import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;

/**
 * Expiry of skipped message keys by age (docs/crypto.md, "Skipped keys"). A skipped key lets a
 * late message still be read, and lets whoever steals this device's files read it too; the
 * server delivers in order, so a key skipped for a week belongs to a message that is lost. The
 * crypto module stamps each key with this device's clock when it is skipped; this class keeps the
 * index (record {@code skipped-keys}) of the session and room records that hold skipped keys
 * with the time of their oldest, and {@link #sweep} drops keys past {@link #MAX_AGE_MS} in every
 * record that has some due, idle conversations included. Counts stay bounded by the crypto
 * module's per-session and per-chain limits.
 *
 * <p>The index only gains entries or moves them earlier when a record is written
 * ({@link #note}); only {@link #sweep}, having read the record, moves an entry later or removes it.
 * So a crash between writing the index and the record never hides a record with old keys.
 *
 * <p>Encoding, version 1: {@code u8 1, u32 n, n × (str16 record, u64 oldestMs)} (all ones: a key
 * of unknown age, from before the keys carried their time). Used inside one store transaction.
 */
final class SkippedKeyExpiry {
    static final String RECORD = "skipped-keys";
    private static final int VERSION = 1;
    /** Skipped keys live this long (by this device's clock): 7 days. */
    static final long MAX_AGE_MS = 7L * 24 * 3600 * 1000;
    /** Records indexed at most; a record beyond is swept when its conversation is next opened. */
    static final int MAX_ENTRIES = 20_000;
    private static final long UNKNOWN = -1;

    private SkippedKeyExpiry() {}

    /** The older of two "oldest skipped key" times, where -1 (unknown age) is older than anything. */
    static long older(long a, long b) {
        if (a == UNKNOWN || b == UNKNOWN) {
            return UNKNOWN;
        }
        return Math.min(a, b);
    }

    /** Records that {@code record}, about to be written, holds skipped keys the oldest made at {@code oldestMs} (none: {@code Long.MAX_VALUE}). */
    static void note(E2eStore.Tx tx, String record, long oldestMs) {
        if (oldestMs == Long.MAX_VALUE) {
            return;
        }
        var index = load(tx);
        Long was = index.get(record);
        long now = was == null ? oldestMs : older(was, oldestMs);
        if ((was == null || was != now) && (was != null || index.size() < MAX_ENTRIES)) {
            index.put(record, now);
            tx.put(RECORD, encode(index));
        }
    }

    /** Drops skipped keys older than {@link #MAX_AGE_MS} at {@code nowMs} in every record the index says has some; returns how many. */
    static int sweep(E2eStore.Tx tx, long nowMs) {
        var index = load(tx);
        int dropped = 0;
        boolean changed = false;
        for (String record : new ArrayList<>(index.keySet())) {
            long oldest = index.get(record);
            if (oldest != UNKNOWN && nowMs - oldest <= MAX_AGE_MS) {
                continue;
            }
            var stored = tx.get(record);
            long left = Long.MAX_VALUE;
            if (stored.isPresent() && record.startsWith("session:")) {
                try (var sessions = DeviceSessions.decode(record, stored.get())) {
                    dropped += sessions.expireSkippedKeys(nowMs, MAX_AGE_MS);
                    left = sessions.oldestSkippedKeyMs();
                    tx.put(record, sessions.encode());
                }
            } else if (stored.isPresent() && record.startsWith("room:")) {
                try (var keys = RoomKeys.decode(record.substring("room:".length()), stored.get())) {
                    dropped += keys.expireSkippedKeys(nowMs, MAX_AGE_MS);
                    left = keys.oldestSkippedKeyMs();
                    tx.put(record, keys.encode());
                }
            }
            if (left == Long.MAX_VALUE) {
                index.remove(record);
            } else {
                index.put(record, left);
            }
            changed = true;
        }
        if (changed) {
            tx.put(RECORD, encode(index));
        }
        return dropped;
    }

    private static TreeMap<String, Long> load(E2eStore.Tx tx) {
        var index = new TreeMap<String, Long>();
        var stored = tx.get(RECORD);
        if (stored.isEmpty()) {
            return index;
        }
        try {
            var in = BinaryReader.of(stored.get(), "end-to-end record", Malformed::of);
            in.version(VERSION);
            int n = in.count32(MAX_ENTRIES);
            for (int i = 0; i < n; i++) {
                index.put(in.str16(), in.u64());
            }
            in.end();
            return index;
        } catch (Malformed e) {
            throw Malformed.damaged(RECORD, e);
        }
    }

    private static byte[] encode(Map<String, Long> index) {
        var out = BinaryWriter.growable(8 + index.size() * 48).u8(VERSION).u32(index.size());
        index.forEach((record, oldest) -> out.str16(record).u64(oldest));
        return out.toByteArray();
    }
}
