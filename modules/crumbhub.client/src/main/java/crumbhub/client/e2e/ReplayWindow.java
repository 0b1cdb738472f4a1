package crumbhub.client.e2e;

import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import crumbhub.wire.MessageId;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The envelope ids this device has shown from one sender device (record {@code seen:USER:DEVICE}),
 * each with the server seq of the delivery that first showed it and when (docs/crypto.md,
 * "Replay window"). The envelope id is written by the sender inside the encrypted envelope, so
 * the server can neither change it nor make a new one; a delivery that opens to an id already
 * here under another seq is a replay (the server re-sent a stored body under a new seq and a new
 * wire id) and is not shown again. The same seq again is the same delivery opened again after a
 * crash before its acknowledgement, and shows the same message.
 *
 * <p>Bounded: at most {@link #MAX_ENTRIES} ids per sender device and none older than
 * {@link #MAX_AGE_MS}, oldest dropped first. A body can only be opened again while
 * {@link RecentResults} still remembers it; such a hit whose id has left the window is treated
 * as a replay too ({@link Check#FORGOTTEN}), so the bounds never reopen the attack.
 *
 * <p>Encoding, version 1: {@code u8 1, u16 n, n × (id16, u64 seq, u64 firstShownMs)}, oldest
 * first. Not thread-safe; used inside one store transaction.
 */
final class ReplayWindow {
    private static final int VERSION = 1;
    /**
     * Ids remembered per sender device: far more than the few deliveries per session or room that
     * {@link RecentResults} can open again, 16 KB per sender device at most.
     */
    static final int MAX_ENTRIES = 512;
    /** Ids older than this (by this device's clock) are dropped: 30 days. */
    static final long MAX_AGE_MS = 30L * 24 * 3600 * 1000;

    private record Seen(long seq, long atMs) {}

    /** What a delivery's envelope id means here. */
    enum Check {
        /** Never shown from this sender device: show it and {@link #add} it. */
        NEW,
        /** Shown before under this same seq: the same delivery opened again; show the same result. */
        SAME_DELIVERY,
        /** Shown before under another seq: a replay, not shown again. */
        REPLAY,
        /** Not here, though the body was opened before ({@link RecentResults}): its id aged out, so a replay. */
        FORGOTTEN
    }

    private final LinkedHashMap<MessageId, Seen> seen = new LinkedHashMap<>();

    static String record(DeviceRef sender) {
        return "seen:" + sender.user() + ":" + Integer.toUnsignedString(sender.deviceId());
    }

    static ReplayWindow load(E2eStore.Tx tx, DeviceRef sender) {
        String record = record(sender);
        return tx.get(record).map(b -> decode(record, b)).orElseGet(ReplayWindow::new);
    }

    /**
     * @param fromCache whether the result came from {@link RecentResults} rather than a fresh
     *     decryption (then an id that is not here was forgotten, not new)
     */
    Check check(MessageId id, long seq, boolean fromCache) {
        Seen s = seen.get(id);
        if (s == null) {
            return fromCache ? Check.FORGOTTEN : Check.NEW;
        }
        return s.seq() == seq ? Check.SAME_DELIVERY : Check.REPLAY;
    }

    /** Remembers {@code id} as shown under {@code seq} at {@code nowMs}, dropping what is past the bounds. */
    void add(MessageId id, long seq, long nowMs) {
        seen.put(id, new Seen(seq, nowMs));
        var it = seen.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<MessageId, Seen> e = it.next();
            if (seen.size() > MAX_ENTRIES || nowMs - e.getValue().atMs() > MAX_AGE_MS) {
                it.remove();
            } else {
                break;
            }
        }
    }

    int size() {
        return seen.size();
    }

    byte[] encode() {
        var out = BinaryWriter.growable(3 + seen.size() * 32).u8(VERSION).u16(seen.size());
        seen.forEach((id, s) -> out.raw(id.toBytes()).u64(s.seq()).u64(s.atMs()));
        return out.toByteArray();
    }

    static ReplayWindow decode(String record, byte[] bytes) {
        try {
            var in = BinaryReader.of(bytes, "end-to-end record", Malformed::of);
            in.version(VERSION);
            int n = in.u16();
            if (n > MAX_ENTRIES) {
                throw new Malformed(n + " remembered ids");
            }
            var w = new ReplayWindow();
            for (int i = 0; i < n; i++) {
                w.seen.put(MessageId.fromBytes(in.fixed(16)), new Seen(in.u64(), in.u64()));
            }
            in.end();
            return w;
        } catch (Malformed e) {
            throw Malformed.damaged(record, e);
        }
    }
}
