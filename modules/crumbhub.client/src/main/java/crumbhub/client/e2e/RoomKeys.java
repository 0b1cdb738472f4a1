package crumbhub.client.e2e;

import crumbhub.crypto.CryptoException;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import crumbhub.crypto.group.SenderKeyState;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The sender keys of one room on this device (record {@code room:NAME}): this device's own chain
 * with the set of member devices it was distributed to, and the chains other devices
 * distributed to us, newest first.
 *
 * <p>A member in {@code distributedTo} is written {@code user/device/identity-digest}, so a device
 * whose identity changed counts as a different device: it no longer matches, and the chain is
 * rotated before the next message as for a member who left.
 *
 * <p>Also holds the results of the last room messages opened ({@link RecentResults}).
 *
 * <p>{@code offeredTo} holds the member devices the own chain was encrypted to in a request that
 * the server has not confirmed yet (docs/crypto.md, "Chain holders"): they may hold the chain
 * even if the message's last request failed, so a kick of one of them rotates the chain as for
 * {@code distributedTo}; they still get the chain again with the next message, as the earlier
 * copy may not have arrived.
 *
 * <p>Encoding, version 2: {@code u8 2, u8 hasOwn, [bytes own, u16 n, n × str8 member,
 * u16 k, k × str8 offered], u16 m, m × (str8 user, u32 device, bytes chain), recent results};
 * version 1 (without the offered members) is still read. Secret. Not thread-safe.
 */
final class RoomKeys implements AutoCloseable {
    private static final int VERSION = 2;
    private static final int VERSION_UNOFFERED = 1;
    /** Chains kept per sending device: the current one and its predecessor, for messages still in flight after a rotation. */
    static final int CHAINS_PER_SENDER = 2;
    /** Received chains kept in all (a room has at most 1,000 members, most with few devices). */
    static final int MAX_RECEIVED = 4_000;
    private static final int MAX_CHAIN_BYTES = 128 * 1024;
    /**
     * Bytes of an encoded record, below the sealed-file bound (1 MiB): a big room whose chains hold
     * many skipped keys drops its oldest received chains rather than fail to store.
     */
    static final int MAX_RECORD_BYTES = 900 * 1024;

    private record Received(DeviceRef sender, SenderKeyState chain) {}

    private SenderKeyState own;
    private final LinkedHashSet<String> distributedTo = new LinkedHashSet<>();
    private final LinkedHashSet<String> offeredTo = new LinkedHashSet<>();
    private final List<Received> received = new ArrayList<>();
    private RecentResults recent = new RecentResults();

    static String record(String room) {
        return "room:" + room;
    }

    Optional<SenderKeyState> own() {
        return Optional.ofNullable(own);
    }

    /** A new own chain: nobody has it yet. */
    void replaceOwn(SenderKeyState chain) {
        if (own != null) {
            own.close();
        }
        own = chain;
        distributedTo.clear();
        offeredTo.clear();
    }

    Set<String> distributedTo() {
        return Set.copyOf(distributedTo);
    }

    void markDistributed(Iterable<String> members) {
        for (String m : members) {
            distributedTo.add(m);
            offeredTo.remove(m);
        }
    }

    /** Records, before any request leaves, the member devices the own chain is being sent to. */
    void markOffered(Iterable<String> members) {
        for (String m : members) {
            if (!distributedTo.contains(m)) {
                offeredTo.add(m);
            }
        }
    }

    /** Every member device that holds or may hold the own chain: confirmed, or sent in an unconfirmed request. */
    Set<String> mayHold() {
        var all = new LinkedHashSet<>(distributedTo);
        all.addAll(offeredTo);
        return all;
    }

    /** The chain {@code sender} distributed with this id, if we have it. */
    Optional<SenderKeyState> chain(DeviceRef sender, int chainId) {
        for (Received r : received) {
            if (r.sender().equals(sender) && r.chain().chainId() == chainId) {
                return Optional.of(r.chain());
            }
        }
        return Optional.empty();
    }

    /**
     * Adds a chain {@code sender} distributed, unless a chain with its id is already known (that
     * copy can already read from an earlier iteration on). Older chains of the sender beyond
     * {@link #CHAINS_PER_SENDER} are dropped.
     */
    boolean addReceived(DeviceRef sender, SenderKeyState chain) {
        if (chain(sender, chain.chainId()).isPresent()) {
            chain.close();
            return false;
        }
        received.add(0, new Received(sender, chain));
        int kept = 0;
        for (Iterator<Received> it = received.iterator(); it.hasNext(); ) {
            Received r = it.next();
            if (r.sender().equals(sender) && ++kept > CHAINS_PER_SENDER) {
                r.chain().close();
                it.remove();
            }
        }
        while (received.size() > MAX_RECEIVED) {
            received.remove(received.size() - 1).chain().close();
        }
        return true;
    }

    RecentResults recent() {
        return recent;
    }

    /** Drops skipped message keys older than {@code maxAgeMs} in every received chain (docs/crypto.md, "Skipped keys"); how many. */
    int expireSkippedKeys(long nowMs, long maxAgeMs) {
        int n = 0;
        for (Received r : received) {
            n += r.chain().expireSkippedKeys(nowMs, maxAgeMs);
        }
        return n;
    }

    /** When the oldest skipped key of the received chains was made: -1 if unknown, {@code Long.MAX_VALUE} if none. */
    long oldestSkippedKeyMs() {
        long oldest = Long.MAX_VALUE;
        for (Received r : received) {
            oldest = SkippedKeyExpiry.older(oldest, r.chain().oldestSkippedKeyMs());
        }
        return oldest;
    }

    byte[] encode() {
        byte[] encoded = encodeOnce();
        while (encoded.length > MAX_RECORD_BYTES && !received.isEmpty()) {
            java.util.Arrays.fill(encoded, (byte) 0);
            received.remove(received.size() - 1).chain().close();
            encoded = encodeOnce();
        }
        return encoded;
    }

    private byte[] encodeOnce() {
        var out = BinaryWriter.growable(256).u8(VERSION).u8(own == null ? 0 : 1);
        if (own != null) {
            byte[] s = own.serialize();
            out.bytes32(s);
            Arrays.fill(s, (byte) 0);
            out.u16(distributedTo.size());
            for (String m : distributedTo) {
                out.str8(m);
            }
            out.u16(offeredTo.size());
            for (String m : offeredTo) {
                out.str8(m);
            }
        }
        out.u16(received.size());
        for (Received r : received) {
            byte[] s = r.chain().serialize();
            out.str8(r.sender().user()).u32(r.sender().deviceId()).bytes32(s);
            Arrays.fill(s, (byte) 0);
        }
        recent.write(out);
        return out.toByteArray();
    }

    static RoomKeys decode(String room, byte[] encoded) {
        var keys = new RoomKeys();
        try {
            var in = BinaryReader.of(encoded, "end-to-end record", Malformed::of);
            int version = in.u8();
            if (version != VERSION && version != VERSION_UNOFFERED) {
                throw new Malformed("unknown version");
            }
            if (in.flag()) {
                keys.own = SenderKeyState.deserialize(in.bytes32(MAX_CHAIN_BYTES));
                int n = in.count16(0xFFFF, 1);
                for (int i = 0; i < n; i++) {
                    keys.distributedTo.add(in.str8());
                }
                if (version == VERSION) {
                    int k = in.count16(0xFFFF, 1);
                    for (int i = 0; i < k; i++) {
                        keys.offeredTo.add(in.str8());
                    }
                }
            }
            int m = in.count16(0xFFFF, 9);
            for (int i = 0; i < m; i++) {
                var sender = new DeviceRef(in.str8(), in.u32());
                keys.received.add(new Received(sender, SenderKeyState.deserialize(in.bytes32(MAX_CHAIN_BYTES))));
            }
            keys.recent = RecentResults.read(in);
            in.end();
            return keys;
        } catch (Malformed | CryptoException e) {
            keys.close();
            throw Malformed.damaged(record(room), e);
        }
    }

    @Override
    public void close() {
        if (own != null) {
            own.close();
        }
        for (Received r : received) {
            r.chain().close();
        }
    }

    @Override
    public String toString() {
        return "RoomKeys[own=" + (own != null) + ", received=" + received.size() + "]";
    }
}
