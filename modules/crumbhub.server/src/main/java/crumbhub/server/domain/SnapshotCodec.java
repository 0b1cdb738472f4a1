package crumbhub.server.domain;

import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import java.util.HexFormat;
import java.util.Map;

/**
 * The binary encoding of a whole {@link State}, written as a store snapshot so recovery need
 * not replay the log from the beginning. {@code u8 version (=3)}, then lastSeq, (since version 3)
 * the seq lease, invites,
 * users with their devices (since version 2 with their end-to-end keys) and de-duplication windows, rooms, messages, and each device's
 * mailbox as a list of seqs. Maps are written in their iteration order, which is fixed by
 * the history of changes, so equal states have equal encodings.
 */
public final class SnapshotCodec {
    /**
     * 2 adds each device's end-to-end keys, 3 the seq lease, 4 the account identities, escrows and
     * device certificates (protocol §7) in a section after the mailboxes ({@link AccountRules}), 5 the
     * signed room logs (protocol §8) in a section after the accounts: for each room in room order,
     * {@code u32 n, n × bytes32 statement}; then the pools of one-time ML-KEM prekeys
     * ({@link KeyRules#writeKemSnapshot}). A version 4 snapshot loads with rooms without a log and
     * empty pools, which the devices refill. Older snapshots still decode: one
     * without a lease gets {@code lease = lastSeq} (servers before the lease pushed only durable
     * messages, so no seq above lastSeq can have been seen).
     */
    public static final int VERSION = 5;

    /** Sanity bound on any count, so a corrupt snapshot fails fast instead of allocating. */
    private static final int MAX_COUNT = 100_000_000;

    private SnapshotCodec() {}

    public static byte[] encode(State s) {
        return encode(s, 0);
    }

    /**
     * Encodes {@code s} into a buffer that starts at {@code sizeHint} bytes plus an eighth (the
     * previous snapshot's size, say), so a large state is not copied through every doubling on
     * its way there.
     */
    public static byte[] encode(State s, int sizeHint) {
        var w = BinaryWriter.growable(Math.max(1 << 16, sizeHint + (sizeHint >>> 3))).u8(VERSION).u64(s.lastSeq).u64(s.seqLease);
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
        for (User u : s.users.values()) {
            for (Device d : u.devices.values()) {
                w.u32(d.mailbox.size());
                for (int i = 0; i < d.mailbox.size(); i++) {
                    w.u64(d.mailbox.get(i).seq());
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
        return w.toByteArray();
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
        for (int i = 0; i < messages; i++) {
            var m = new Message(r.u64(), r.u64(), ChangeCodec.kind(r.u8()), r.str16(), r.str16(), r.u32(),
                    r.fixed(MessageId.LENGTH), r.u8(), r.bytes32(ChangeCodec.MAX_BYTES));
            s.messages.put(m.seq(), m);
        }
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
}
