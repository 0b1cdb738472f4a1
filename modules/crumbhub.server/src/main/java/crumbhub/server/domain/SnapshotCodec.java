package crumbhub.server.domain;

import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The binary encoding of a whole {@link State}, written as a store snapshot so recovery need
 * not replay the log from the beginning. {@code u8 version (=3)}, then lastSeq, (since version 3)
 * the seq lease, invites,
 * users with their devices (since version 2 with their end-to-end keys) and de-duplication windows, rooms, messages, and each device's
 * mailbox (since version 6 as runs of consecutive messages, before as a list of seqs). Maps are written in their iteration order, which is fixed by
 * the history of changes, so equal states have equal encodings.
 */
public final class SnapshotCodec {
    /**
     * 2 adds each device's end-to-end keys, 3 the seq lease, 4 the account identities, escrows and
     * device certificates (protocol §7) in a section after the mailboxes ({@link AccountRules}), 5 the
     * signed room logs (protocol §8) in a section after the accounts: for each room in room order,
     * {@code u32 n, n × bytes32 statement}; then the pools of one-time ML-KEM prekeys
     * ({@link KeyRules#writeKemSnapshot}). A version 4 snapshot loads with rooms without a log and
     * empty pools, which the devices refill. 6 writes each mailbox as runs over the message
     * section instead of one u64 seq per entry: {@code u32 runs, runs × (u32 gap, u32 length)},
     * a run being {@code length} consecutive messages of the message section starting {@code gap}
     * messages after the end of the previous run (the first run: after index 0). A room message
     * waiting for 99 devices cost 792 bytes of snapshot that way, more than its body, and the
     * snapshot of a large backlog (built in memory) ran the heap out (docs/benchmarks.md
     * "Overload"); a member's mailbox is mostly one run. Older snapshots still decode: one
     * without a lease gets {@code lease = lastSeq} (servers before the lease pushed only durable
     * messages, so no seq above lastSeq can have been seen).
     */
    public static final int VERSION = 6;

    /** Sanity bound on any count, so a corrupt snapshot fails fast instead of allocating. */
    private static final int MAX_COUNT = 100_000_000;

    private SnapshotCodec() {}

    /** The whole encoding in one array (the admin's online backup and tests; snapshots use {@link #encodeParts}). */
    public static byte[] encode(State s) {
        var w = BinaryWriter.growable(1 << 16);
        write(w, s, VERSION);
        return w.toByteArray();
    }

    /** The version 5 encoding (mailboxes as seqs), for tests of loading what older servers wrote. */
    static byte[] encodeVersion5(State s) {
        var w = BinaryWriter.growable(1 << 16);
        write(w, s, 5);
        return w.toByteArray();
    }

    /**
     * The encoding of {@code s} as parts for {@code EventStore.snapshot}: message bodies of
     * {@link #SHARED_BODY_BYTES} or more are shared, not copied, so the snapshot of a backlog of
     * large messages costs its metadata, not a second copy of the backlog. Bodies are immutable
     * ({@link Message#body()}), so sharing them with the snapshot thread is safe.
     */
    public static List<ByteBuffer> encodeParts(State s) {
        var w = BinaryWriter.gathering(CHUNK_BYTES, SHARED_BODY_BYTES);
        write(w, s, VERSION);
        return w.parts();
    }

    /** Chunk size of {@link #encodeParts}. */
    static final int CHUNK_BYTES = 1 << 16;
    /** Bodies at least this large are shared by {@link #encodeParts}; smaller ones are copied into chunks. */
    static final int SHARED_BODY_BYTES = 256;

    private static void write(BinaryWriter w, State s, int version) {
        w.u8(version).u64(s.lastSeq).u64(s.seqLease);
        w.u32(s.invites.size());
        for (Invite i : s.invites.values()) {
            w.bytes32(i.codeHash()).u32(i.maxUses()).u32(i.uses).u64(i.expiresMs()).u64(i.createdMs());
        }
        w.u32(s.users.size());
        for (User u : s.users.values()) {
            w.str16(u.name()).str16(u.passwordHash).flag(u.banned).u64(u.createdMs()).u32(u.nextDeviceId);
            w.u32(u.devices.size());
            for (Device d : u.devices.values()) {
                w.u32(d.id()).str16(d.name()).bytes32(d.publicKey()).bytes32(d.tokenHash).u64(d.createdMs())
                        .u64(d.lastSeenMs).flag(d.revoked).u64(d.cursor);
                w.flag(d.hasKeys());
                if (d.hasKeys()) {
                    w.bytes32(d.identity).bytes32(d.signedPreKey).bytes32(d.kemPreKey).u32(d.oneTimePreKeys.size());
                    for (OneTimeKey k : d.oneTimePreKeys.values()) {
                        w.u32(k.id()).bytes32(k.key());
                    }
                }
            }
            w.u32(u.sent.size());
            for (int j = 0, n = u.sent.size(); j < n; j++) {
                w.u64(u.sent.hi(j)).u64(u.sent.lo(j)).u64(u.sent.seq(j)).u64(u.sent.tsMs(j));
            }
        }
        w.u32(s.rooms.size());
        for (Room r : s.rooms.values()) {
            w.str16(r.name()).str16(r.owner).u64(r.createdMs());
            w.u32(r.members.size());
            for (Map.Entry<String, Long> e : r.members.entrySet()) {
                w.str16(e.getKey()).u64(e.getValue());
            }
            w.u32(r.invited.size());
            for (String name : r.invited) {
                w.str16(name);
            }
        }
        w.u32(s.messages.size());
        for (Message m : s.messages.values()) {
            w.u64(m.seq()).u64(m.tsMs()).u8(m.kind().code()).str16(m.target()).str16(m.sender())
                    .u32(m.senderDevice()).raw(m.messageIdBytes()).u8(m.alg()).bytes32(m.body());
        }
        if (version >= 6) {
            writeMailboxRuns(w, s);
        } else {
            for (User u : s.users.values()) {
                for (Device d : u.devices.values()) {
                    w.u32(d.mailbox.size());
                    for (int i = 0; i < d.mailbox.size(); i++) {
                        w.u64(d.mailbox.get(i).seq());
                    }
                }
            }
        }
        AccountRules.writeSnapshot(w, s.users.values());
        for (Room r : s.rooms.values()) {
            w.u32(r.log.size());
            for (byte[] statement : r.log) {
                w.bytes32(statement);
            }
        }
        KeyRules.writeKemSnapshot(w, s.users.values());
    }

    /** Each device's mailbox as runs over the message section (version 6, see {@link #VERSION}). */
    private static void writeMailboxRuns(BinaryWriter w, State s) {
        long[] seqs = new long[s.messages.size()];
        int n = 0;
        for (Long seq : s.messages.keySet()) {
            if (n > 0 && seq <= seqs[n - 1]) {
                throw new IllegalStateException("messages out of seq order at " + seq);
            }
            seqs[n++] = seq;
        }
        int[] runs = new int[16];
        for (User u : s.users.values()) {
            for (Device d : u.devices.values()) {
                int count = 0;
                int at = -1;
                for (int i = 0, size = d.mailbox.size(); i < size; i++) {
                    long seq = d.mailbox.get(i).seq();
                    int next = at + 1 < n && seqs[at + 1] == seq ? at + 1 : Arrays.binarySearch(seqs, at + 1, n, seq);
                    if (next < 0) {
                        throw new IllegalStateException("mailbox of " + d + " names unknown seq " + seq);
                    }
                    if (count > 0 && next == at + 1) {
                        runs[2 * count - 1]++;
                    } else {
                        if (2 * count + 2 > runs.length) {
                            runs = Arrays.copyOf(runs, runs.length * 2);
                        }
                        runs[2 * count] = next - (at + 1);
                        runs[2 * count + 1] = 1;
                        count++;
                    }
                    at = next;
                }
                w.u32(count);
                for (int i = 0; i < 2 * count; i++) {
                    w.u32(runs[i]);
                }
            }
        }
    }

    public static State decode(byte[] snapshot) {
        var r = BinaryReader.of(snapshot, "snapshot", CorruptStateException::malformed);
        int version = r.u8();
        if (version < 1 || version > VERSION) {
            throw new CorruptStateException("unknown snapshot version " + version);
        }
        var s = new State();
        s.lastSeq = r.u64();
        s.seqLease = version >= 3 ? r.u64() : s.lastSeq;
        int invites = r.count32(MAX_COUNT);
        for (int i = 0; i < invites; i++) {
            byte[] hash = r.bytes32(ChangeCodec.KEY_BYTES);
            int maxUses = r.u32();
            int uses = r.u32();
            var invite = new Invite(hash, maxUses, r.u64(), r.u64());
            invite.uses = uses;
            s.invites.put(HexFormat.of().formatHex(hash), invite);
        }
        int users = r.count32(MAX_COUNT);
        for (int i = 0; i < users; i++) {
            String name = r.str16();
            String passwordHash = r.str16();
            boolean banned = r.flag();
            var user = new User(name, passwordHash, r.u64());
            user.banned = banned;
            user.nextDeviceId = r.u32();
            int devices = r.count32(MAX_COUNT);
            for (int j = 0; j < devices; j++) {
                int id = r.u32();
                var d = new Device(user, id, r.str16(), r.bytes32(ChangeCodec.KEY_BYTES), r.bytes32(ChangeCodec.KEY_BYTES),
                        r.u64(), 0);
                d.lastSeenMs = r.u64();
                d.revoked = r.flag();
                d.cursor = r.u64();
                if (version >= 2 && r.flag()) {
                    d.identity = r.bytes32(ChangeCodec.MAX_KEY_BYTES);
                    d.signedPreKey = r.bytes32(ChangeCodec.MAX_KEY_BYTES);
                    d.kemPreKey = r.bytes32(ChangeCodec.MAX_KEY_BYTES);
                    int keys = r.count32(Domain.MAX_ONE_TIME_PREKEYS);
                    for (int k = 0; k < keys; k++) {
                        var key = new OneTimeKey(r.u32(), r.bytes32(ChangeCodec.MAX_KEY_BYTES));
                        d.oneTimePreKeys.put(key.id(), key);
                    }
                }
                user.devices.put(id, d);
            }
            int sent = r.count32(State.DEDUP_WINDOW);
            for (int j = 0; j < sent; j++) {
                user.sent.add(r.u64(), r.u64(), r.u64(), r.u64());
            }
            s.users.put(user.name(), user);
        }
        int rooms = r.count32(MAX_COUNT);
        for (int i = 0; i < rooms; i++) {
            var room = new Room(r.str16(), r.str16(), r.u64());
            int members = r.count32(MAX_COUNT);
            for (int j = 0; j < members; j++) {
                String name = r.str16();
                room.members.put(name, r.u64());
                requireUser(s, name).rooms.add(room.name());
            }
            int invited = r.count32(MAX_COUNT);
            for (int j = 0; j < invited; j++) {
                String name = r.str16();
                room.invited.add(name);
                requireUser(s, name).rooms.add(room.name());
            }
            s.rooms.put(room.name(), room);
        }
        int messages = r.count32(MAX_COUNT);
        var inOrder = new Message[messages];
        for (int i = 0; i < messages; i++) {
            var m = new Message(r.u64(), r.u64(), ChangeCodec.kind(r.u8()), r.str16(), r.str16(), r.u32(),
                    r.fixed(MessageId.LENGTH), r.u8(), r.bytes32(ChangeCodec.MAX_BYTES));
            s.messages.put(m.seq(), m);
            inOrder[i] = m;
        }
        if (version >= 6) {
            readMailboxRuns(r, s, inOrder);
        } else {
            readMailboxSeqs(r, s);
        }
        if (version >= 4) {
            AccountRules.readSnapshot(r, s.users);
        }
        if (version >= 5) {
            for (Room room : s.rooms.values()) {
                int n = r.count32(MAX_COUNT);
                for (int j = 0; j < n; j++) {
                    room.log.add(r.bytes32(ChangeCodec.MAX_STATEMENT_BYTES));
                }
            }
            KeyRules.readKemSnapshot(r, s.users);
        }
        r.end();
        s.recount();
        return s;
    }

    private static User requireUser(State s, String name) {
        User u = s.users.get(name);
        if (u == null) {
            throw new CorruptStateException("room names unknown user " + name);
        }
        return u;
    }

    /** Mailboxes before version 6: {@code u32 n, n × u64 seq} per device. */
    private static void readMailboxSeqs(BinaryReader<CorruptStateException> r, State s) {
        for (User u : s.users.values()) {
            for (Device d : u.devices.values()) {
                int n = r.count32(MAX_COUNT);
                for (int j = 0; j < n; j++) {
                    long seq = r.u64();
                    Message m = s.messages.get(seq);
                    if (m == null) {
                        throw new CorruptStateException("mailbox of " + d + " names unknown seq " + seq);
                    }
                    d.mailbox.addLast(m);
                    m.pending++;
                }
            }
        }
    }

    /** Mailboxes since version 6: runs over the message section ({@link #VERSION}). */
    private static void readMailboxRuns(BinaryReader<CorruptStateException> r, State s, Message[] inOrder) {
        for (User u : s.users.values()) {
            for (Device d : u.devices.values()) {
                int runs = r.count32(MAX_COUNT);
                long next = 0;
                for (int j = 0; j < runs; j++) {
                    long gap = Integer.toUnsignedLong(r.u32());
                    long length = Integer.toUnsignedLong(r.u32());
                    long from = next + gap;
                    if (length == 0 || from + length > inOrder.length) {
                        throw new CorruptStateException("mailbox of " + d + " names messages " + from + ".."
                                + (from + length) + " of " + inOrder.length);
                    }
                    for (int k = (int) from; k < from + length; k++) {
                        d.mailbox.addLast(inOrder[k]);
                        inOrder[k].pending++;
                    }
                    next = from + length;
                }
            }
        }
    }
}
