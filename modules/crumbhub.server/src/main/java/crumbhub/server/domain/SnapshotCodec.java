package crumbhub.server.domain;

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
     * 2 adds each device's end-to-end keys, 3 the seq lease. Older snapshots still decode: one
     * without a lease gets {@code lease = lastSeq} (servers before the lease pushed only durable
     * messages, so no seq above lastSeq can have been seen).
     */
    public static final int VERSION = 3;

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
        var w = new BinaryWriter(Math.max(1 << 16, sizeHint + (sizeHint >>> 3))).u8(VERSION).i64(s.lastSeq).i64(s.seqLease);
        w.i32(s.invites.size());
        for (Invite i : s.invites.values()) {
            w.bytes(i.codeHash()).i32(i.maxUses()).i32(i.uses).i64(i.expiresMs()).i64(i.createdMs());
        }
        w.i32(s.users.size());
        for (User u : s.users.values()) {
            w.str(u.name()).str(u.passwordHash).bool(u.banned).i64(u.createdMs()).i32(u.nextDeviceId);
            w.i32(u.devices.size());
            for (Device d : u.devices.values()) {
                w.i32(d.id()).str(d.name()).bytes(d.publicKey()).bytes(d.tokenHash).i64(d.createdMs())
                        .i64(d.lastSeenMs).bool(d.revoked).i64(d.cursor);
                w.bool(d.hasKeys());
                if (d.hasKeys()) {
                    w.bytes(d.identity).bytes(d.signedPreKey).bytes(d.kemPreKey).i32(d.oneTimePreKeys.size());
                    for (OneTimeKey k : d.oneTimePreKeys.values()) {
                        w.i32(k.id()).bytes(k.key());
                    }
                }
            }
            w.i32(u.sent.size());
            for (int j = 0, n = u.sent.size(); j < n; j++) {
                w.i64(u.sent.hi(j)).i64(u.sent.lo(j)).i64(u.sent.seq(j)).i64(u.sent.tsMs(j));
            }
        }
        w.i32(s.rooms.size());
        for (Room r : s.rooms.values()) {
            w.str(r.name()).str(r.owner).i64(r.createdMs());
            w.i32(r.members.size());
            for (Map.Entry<String, Long> e : r.members.entrySet()) {
                w.str(e.getKey()).i64(e.getValue());
            }
            w.i32(r.invited.size());
            for (String name : r.invited) {
                w.str(name);
            }
        }
        w.i32(s.messages.size());
        for (Message m : s.messages.values()) {
            w.i64(m.seq()).i64(m.tsMs()).u8(m.kind().code()).str(m.target()).str(m.sender())
                    .i32(m.senderDevice()).raw(m.messageIdBytes()).u8(m.alg()).bytes(m.body());
        }
        for (User u : s.users.values()) {
            for (Device d : u.devices.values()) {
                w.i32(d.mailbox.size());
                for (int i = 0; i < d.mailbox.size(); i++) {
                    w.i64(d.mailbox.get(i).seq());
                }
            }
        }
        return w.toByteArray();
    }

    public static State decode(byte[] snapshot) {
        var r = new BinaryReader(snapshot);
        int version = r.u8();
        if (version < 1 || version > VERSION) {
            throw new CorruptStateException("unknown snapshot version " + version);
        }
        var s = new State();
        s.lastSeq = r.i64();
        s.seqLease = version >= 3 ? r.i64() : s.lastSeq;
        int invites = r.count(MAX_COUNT);
        for (int i = 0; i < invites; i++) {
            byte[] hash = r.bytes(ChangeCodec.KEY_BYTES);
            int maxUses = r.i32();
            int uses = r.i32();
            var invite = new Invite(hash, maxUses, r.i64(), r.i64());
            invite.uses = uses;
            s.invites.put(HexFormat.of().formatHex(hash), invite);
        }
        int users = r.count(MAX_COUNT);
        for (int i = 0; i < users; i++) {
            String name = r.str();
            String passwordHash = r.str();
            boolean banned = r.bool();
            var user = new User(name, passwordHash, r.i64());
            user.banned = banned;
            user.nextDeviceId = r.i32();
            int devices = r.count(MAX_COUNT);
            for (int j = 0; j < devices; j++) {
                int id = r.i32();
                var d = new Device(user, id, r.str(), r.bytes(ChangeCodec.KEY_BYTES), r.bytes(ChangeCodec.KEY_BYTES),
                        r.i64(), 0);
                d.lastSeenMs = r.i64();
                d.revoked = r.bool();
                d.cursor = r.i64();
                if (version >= 2 && r.bool()) {
                    d.identity = r.bytes(ChangeCodec.MAX_KEY_BYTES);
                    d.signedPreKey = r.bytes(ChangeCodec.MAX_KEY_BYTES);
                    d.kemPreKey = r.bytes(ChangeCodec.MAX_KEY_BYTES);
                    int keys = r.count(Domain.MAX_ONE_TIME_PREKEYS);
                    for (int k = 0; k < keys; k++) {
                        var key = new OneTimeKey(r.i32(), r.bytes(ChangeCodec.MAX_KEY_BYTES));
                        d.oneTimePreKeys.put(key.id(), key);
                    }
                }
                user.devices.put(id, d);
            }
            int sent = r.count(State.DEDUP_WINDOW);
            for (int j = 0; j < sent; j++) {
                user.sent.add(r.i64(), r.i64(), r.i64(), r.i64());
            }
            s.users.put(user.name(), user);
        }
        int rooms = r.count(MAX_COUNT);
        for (int i = 0; i < rooms; i++) {
            var room = new Room(r.str(), r.str(), r.i64());
            int members = r.count(MAX_COUNT);
            for (int j = 0; j < members; j++) {
                String name = r.str();
                room.members.put(name, r.i64());
                requireUser(s, name).rooms.add(room.name());
            }
            int invited = r.count(MAX_COUNT);
            for (int j = 0; j < invited; j++) {
                String name = r.str();
                room.invited.add(name);
                requireUser(s, name).rooms.add(room.name());
            }
            s.rooms.put(room.name(), room);
        }
        int messages = r.count(MAX_COUNT);
        for (int i = 0; i < messages; i++) {
            var m = new Message(r.i64(), r.i64(), ChangeCodec.kind(r.u8()), r.str(), r.str(), r.i32(),
                    r.raw(MessageId.LENGTH), r.u8(), r.bytes(ChangeCodec.MAX_BYTES));
            s.messages.put(m.seq(), m);
        }
        for (User u : s.users.values()) {
            for (Device d : u.devices.values()) {
                int n = r.count(MAX_COUNT);
                for (int j = 0; j < n; j++) {
                    long seq = r.i64();
                    Message m = s.messages.get(seq);
                    if (m == null) {
                        throw new CorruptStateException("mailbox of " + d + " names unknown seq " + seq);
                    }
                    d.mailbox.addLast(m);
                    m.pending++;
                }
            }
        }
        r.end();
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
