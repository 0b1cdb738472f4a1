package crumbhub.server.domain;

import crumbhub.server.domain.Change.CursorMoved;
import crumbhub.server.domain.Change.DeviceAdded;
import crumbhub.server.domain.Change.DeviceLoggedIn;
import crumbhub.server.domain.Change.DeviceRevoked;
import crumbhub.server.domain.Change.DeviceSeen;
import crumbhub.server.domain.Change.InviteCreated;
import crumbhub.server.domain.Change.MessageStored;
import crumbhub.server.domain.Change.MessagesExpired;
import crumbhub.server.domain.Change.PasswordChanged;
import crumbhub.server.domain.Change.RoomCreated;
import crumbhub.server.domain.Change.RoomInvited;
import crumbhub.server.domain.Change.RoomJoined;
import crumbhub.server.domain.Change.RoomKicked;
import crumbhub.server.domain.Change.RoomLeft;
import crumbhub.server.domain.Change.UserBanned;
import crumbhub.server.domain.Change.UserRegistered;
import crumbhub.server.domain.Change.KeysPublished;
import crumbhub.server.domain.Change.OneTimePreKeyTaken;
import crumbhub.server.domain.Change.DeviceMessagesStored;
import crumbhub.server.domain.Change.DeviceEntry;
import crumbhub.server.domain.Change.SeqLeased;
import java.util.ArrayList;

/**
 * The binary encoding of a {@link Change} as one store record:
 * {@code u8 version (=1), u8 tag, fields}. Integers are big-endian, strings {@code u16 n} +
 * UTF-8, byte strings {@code i32 n} + bytes. Tags are never reused; a new field means a new
 * version, and decoders keep reading every older version.
 */
public final class ChangeCodec {
    public static final int VERSION = 1;

    /** Longest stored byte string: a message body is at most 60,000 bytes (protocol §2). */
    static final int MAX_BYTES = 65_536;
    static final int KEY_BYTES = 32;

    private static final int USER_REGISTERED = 1;
    private static final int PASSWORD_CHANGED = 2;
    private static final int USER_BANNED = 3;
    private static final int DEVICE_ADDED = 4;
    private static final int DEVICE_LOGGED_IN = 5;
    private static final int DEVICE_SEEN = 6;
    private static final int DEVICE_REVOKED = 7;
    private static final int INVITE_CREATED = 8;
    private static final int ROOM_CREATED = 9;
    private static final int ROOM_INVITED = 10;
    private static final int ROOM_JOINED = 11;
    private static final int ROOM_LEFT = 12;
    private static final int ROOM_KICKED = 13;
    private static final int MESSAGE_STORED = 14;
    private static final int CURSOR_MOVED = 15;
    private static final int MESSAGES_EXPIRED = 16;
    private static final int KEYS_PUBLISHED = 17;
    private static final int ONE_TIME_PREKEY_TAKEN = 18;
    private static final int DEVICE_MESSAGES_STORED = 19;
    private static final int SEQ_LEASED = 20;
    /** Longest stored end-to-end key (protocol §2 KEY). */
    static final int MAX_KEY_BYTES = 2048;
    /** One-time prekeys in one KeysPublished: at most a full pool. */
    static final int MAX_ONE_TIME_KEYS = Domain.MAX_ONE_TIME_PREKEYS;
    /** Entries of one DeviceMessagesStored: a frame holds at most 65,517 / 8 of them. */
    static final int MAX_DEVICE_ENTRIES = 10_000;

    private ChangeCodec() {}

    public static byte[] encode(Change change) {
        var w = new BinaryWriter(sizeHint(change)).u8(VERSION);
        switch (change) {
            case UserRegistered c -> w.u8(USER_REGISTERED).str(c.user()).str(c.passwordHash()).i64(c.atMs())
                    .bytes(c.inviteHash());
            case PasswordChanged c -> w.u8(PASSWORD_CHANGED).str(c.user()).str(c.passwordHash());
            case UserBanned c -> w.u8(USER_BANNED).str(c.user()).bool(c.banned()).i64(c.atMs());
            case DeviceAdded c -> w.u8(DEVICE_ADDED).str(c.user()).i32(c.deviceId()).str(c.name())
                    .bytes(c.publicKey()).bytes(c.tokenHash()).i64(c.atMs());
            case DeviceLoggedIn c -> w.u8(DEVICE_LOGGED_IN).str(c.user()).i32(c.deviceId()).bytes(c.tokenHash())
                    .i64(c.atMs());
            case DeviceSeen c -> w.u8(DEVICE_SEEN).str(c.user()).i32(c.deviceId()).i64(c.atMs());
            case DeviceRevoked c -> w.u8(DEVICE_REVOKED).str(c.user()).i32(c.deviceId()).i64(c.atMs());
            case InviteCreated c -> w.u8(INVITE_CREATED).bytes(c.codeHash()).i32(c.maxUses()).i64(c.expiresMs())
                    .i64(c.atMs());
            case RoomCreated c -> w.u8(ROOM_CREATED).str(c.room()).str(c.owner()).i64(c.atMs());
            case RoomInvited c -> w.u8(ROOM_INVITED).str(c.room()).str(c.user()).i64(c.atMs());
            case RoomJoined c -> w.u8(ROOM_JOINED).str(c.room()).str(c.user()).i64(c.atMs());
            case RoomLeft c -> w.u8(ROOM_LEFT).str(c.room()).str(c.user()).i64(c.atMs());
            case RoomKicked c -> w.u8(ROOM_KICKED).str(c.room()).str(c.user()).i64(c.atMs());
            case MessageStored c -> w.u8(MESSAGE_STORED).i64(c.seq()).i64(c.tsMs()).u8(c.kind().code())
                    .str(c.target()).str(c.sender()).i32(c.senderDevice()).raw(c.messageId()).u8(c.alg())
                    .bytes(c.body());
            case CursorMoved c -> w.u8(CURSOR_MOVED).str(c.user()).i32(c.deviceId()).i64(c.seq());
            case MessagesExpired c -> w.u8(MESSAGES_EXPIRED).i64(c.throughSeq());
            case KeysPublished c -> {
                w.u8(KEYS_PUBLISHED).str(c.user()).i32(c.deviceId()).bytes(c.identity()).bytes(c.signedPreKey())
                        .bytes(c.kemPreKey()).i32(c.oneTimePreKeys().size());
                for (OneTimeKey k : c.oneTimePreKeys()) {
                    w.i32(k.id()).bytes(k.key());
                }
            }
            case SeqLeased c -> w.u8(SEQ_LEASED).i64(c.skipTo()).i64(c.upTo());
            case OneTimePreKeyTaken c -> w.u8(ONE_TIME_PREKEY_TAKEN).str(c.user()).i32(c.deviceId()).i32(c.keyId());
            case DeviceMessagesStored c -> {
                w.u8(DEVICE_MESSAGES_STORED).i64(c.firstSeq()).i64(c.tsMs()).u8(c.kind().code()).str(c.target())
                        .str(c.sender()).i32(c.senderDevice()).raw(c.messageId()).u8(c.alg())
                        .i32(c.entries().size());
                for (DeviceEntry e : c.entries()) {
                    w.str(e.user()).i32(e.deviceId()).bytes(e.body());
                }
            }
        }
        return w.toByteArray();
    }

    /**
     * The exact size of a message's record, so it is encoded straight into the array handed to
     * the log (one allocation per message); enough for most records of the other kinds.
     */
    private static int sizeHint(Change change) {
        return switch (change) {
            case MessageStored c -> 1 + 1 + 8 + 8 + 1 + BinaryWriter.strLength(c.target())
                    + BinaryWriter.strLength(c.sender()) + 4 + c.messageId().length + 1 + 4 + c.body().length;
            default -> 64;
        };
    }

    public static Change decode(byte[] record) {
        var r = new BinaryReader(record);
        int version = r.u8();
        if (version != VERSION) {
            throw new CorruptStateException("unknown change record version " + version);
        }
        int tag = r.u8();
        Change c = switch (tag) {
            case USER_REGISTERED -> new UserRegistered(r.str(), r.str(), r.i64(), r.bytes(KEY_BYTES));
            case PASSWORD_CHANGED -> new PasswordChanged(r.str(), r.str());
            case USER_BANNED -> new UserBanned(r.str(), r.bool(), r.i64());
            case DEVICE_ADDED -> new DeviceAdded(r.str(), r.i32(), r.str(), r.bytes(KEY_BYTES), r.bytes(KEY_BYTES),
                    r.i64());
            case DEVICE_LOGGED_IN -> new DeviceLoggedIn(r.str(), r.i32(), r.bytes(KEY_BYTES), r.i64());
            case DEVICE_SEEN -> new DeviceSeen(r.str(), r.i32(), r.i64());
            case DEVICE_REVOKED -> new DeviceRevoked(r.str(), r.i32(), r.i64());
            case INVITE_CREATED -> new InviteCreated(r.bytes(KEY_BYTES), r.i32(), r.i64(), r.i64());
            case ROOM_CREATED -> new RoomCreated(r.str(), r.str(), r.i64());
            case ROOM_INVITED -> new RoomInvited(r.str(), r.str(), r.i64());
            case ROOM_JOINED -> new RoomJoined(r.str(), r.str(), r.i64());
            case ROOM_LEFT -> new RoomLeft(r.str(), r.str(), r.i64());
            case ROOM_KICKED -> new RoomKicked(r.str(), r.str(), r.i64());
            case MESSAGE_STORED -> new MessageStored(r.i64(), r.i64(), kind(r.u8()), r.str(), r.str(), r.i32(),
                    r.raw(MessageId.LENGTH), r.u8(), r.bytes(MAX_BYTES));
            case CURSOR_MOVED -> new CursorMoved(r.str(), r.i32(), r.i64());
            case MESSAGES_EXPIRED -> new MessagesExpired(r.i64());
            case KEYS_PUBLISHED -> {
                String user = r.str();
                int device = r.i32();
                byte[] identity = r.bytes(MAX_KEY_BYTES);
                byte[] spk = r.bytes(MAX_KEY_BYTES);
                byte[] kpk = r.bytes(MAX_KEY_BYTES);
                int n = r.count(MAX_ONE_TIME_KEYS);
                var keys = new ArrayList<OneTimeKey>(n);
                for (int i = 0; i < n; i++) {
                    keys.add(new OneTimeKey(r.i32(), r.bytes(MAX_KEY_BYTES)));
                }
                yield new KeysPublished(user, device, identity, spk, kpk, keys);
            }
            case SEQ_LEASED -> new SeqLeased(r.i64(), r.i64());
            case ONE_TIME_PREKEY_TAKEN -> new OneTimePreKeyTaken(r.str(), r.i32(), r.i32());
            case DEVICE_MESSAGES_STORED -> {
                long first = r.i64();
                long ts = r.i64();
                Kind kind = kind(r.u8());
                String target = r.str();
                String sender = r.str();
                int senderDevice = r.i32();
                byte[] id = r.raw(MessageId.LENGTH);
                int alg = r.u8();
                int n = r.count(MAX_DEVICE_ENTRIES);
                var entries = new ArrayList<DeviceEntry>(Math.min(n, 64));
                for (int i = 0; i < n; i++) {
                    entries.add(new DeviceEntry(r.str(), r.i32(), r.bytes(MAX_BYTES)));
                }
                yield new DeviceMessagesStored(first, ts, kind, target, sender, senderDevice, id, alg, entries);
            }
            default -> throw new CorruptStateException("unknown change tag " + tag);
        };
        r.end();
        return c;
    }

    static Kind kind(int code) {
        Kind k = Kind.ofCode(code);
        if (k == null) {
            throw new CorruptStateException("unknown message kind " + code);
        }
        return k;
    }
}
