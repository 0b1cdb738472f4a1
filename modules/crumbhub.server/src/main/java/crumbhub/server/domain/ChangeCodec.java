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
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import crumbhub.crypto.binary.Utf8;
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
    /** Tag 32, not 21: leaves the next tags to changes of other protocol areas. */
    private static final int ACCOUNT_PUBLISHED = 32;
    /** Tag 40: the signed room log (docs/protocol.md §8), clear of the tags other areas take after 32. */
    private static final int ROOM_SIGNED = 40;
    /** Messaging: a message's ciphertext taken back by its sender (docs/protocol.md "RETRACT"). */
    private static final int MESSAGE_RETRACTED = 64;
    /** Longest stored room statement (protocol §2 STATEMENT). */
    static final int MAX_STATEMENT_BYTES = crumbhub.wire.Limits.STATEMENT;
    /** Tags 48 and 49: one-time ML-KEM prekeys (protocol §6), clear of the tags other areas take after 32. */
    private static final int KEM_PREKEYS_PUBLISHED = 48;
    private static final int ONE_TIME_KEM_PREKEY_TAKEN = 49;
    /** Longest stored end-to-end key (protocol §2 KEY). */
    static final int MAX_KEY_BYTES = 2048;
    /** One-time prekeys in one KeysPublished: at most a full pool. */
    static final int MAX_ONE_TIME_KEYS = Domain.MAX_ONE_TIME_PREKEYS;
    /** Entries of one DeviceMessagesStored: a frame holds at most 65,517 / 8 of them. */
    static final int MAX_DEVICE_ENTRIES = 10_000;

    private ChangeCodec() {}

    public static byte[] encode(Change change) {
        var w = BinaryWriter.growable(sizeHint(change)).u8(VERSION);
        switch (change) {
            case UserRegistered c -> w.u8(USER_REGISTERED).str16(c.user()).str16(c.passwordHash()).u64(c.atMs())
                    .bytes32(c.inviteHash());
            case PasswordChanged c -> w.u8(PASSWORD_CHANGED).str16(c.user()).str16(c.passwordHash());
            case UserBanned c -> w.u8(USER_BANNED).str16(c.user()).flag(c.banned()).u64(c.atMs());
            case DeviceAdded c -> w.u8(DEVICE_ADDED).str16(c.user()).u32(c.deviceId()).str16(c.name())
                    .bytes32(c.publicKey()).bytes32(c.tokenHash()).u64(c.atMs());
            case DeviceLoggedIn c -> w.u8(DEVICE_LOGGED_IN).str16(c.user()).u32(c.deviceId()).bytes32(c.tokenHash())
                    .u64(c.atMs());
            case DeviceSeen c -> w.u8(DEVICE_SEEN).str16(c.user()).u32(c.deviceId()).u64(c.atMs());
            case DeviceRevoked c -> w.u8(DEVICE_REVOKED).str16(c.user()).u32(c.deviceId()).u64(c.atMs());
            case InviteCreated c -> w.u8(INVITE_CREATED).bytes32(c.codeHash()).u32(c.maxUses()).u64(c.expiresMs())
                    .u64(c.atMs());
            case RoomCreated c -> w.u8(ROOM_CREATED).str16(c.room()).str16(c.owner()).u64(c.atMs());
            case RoomInvited c -> w.u8(ROOM_INVITED).str16(c.room()).str16(c.user()).u64(c.atMs());
            case RoomJoined c -> w.u8(ROOM_JOINED).str16(c.room()).str16(c.user()).u64(c.atMs());
            case RoomLeft c -> w.u8(ROOM_LEFT).str16(c.room()).str16(c.user()).u64(c.atMs());
            case RoomKicked c -> w.u8(ROOM_KICKED).str16(c.room()).str16(c.user()).u64(c.atMs());
            case Change.RoomSigned c -> w.u8(ROOM_SIGNED).str16(c.room()).str16(c.actor()).u8(c.action())
                    .str16(c.subject()).bytes32(c.statement()).u64(c.atMs());
            case MessageStored c -> w.u8(MESSAGE_STORED).u64(c.seq()).u64(c.tsMs()).u8(c.kind().code())
                    .str16(c.target()).str16(c.sender()).u32(c.senderDevice()).raw(c.messageId()).u8(c.alg())
                    .bytes32(c.body());
            case CursorMoved c -> w.u8(CURSOR_MOVED).str16(c.user()).u32(c.deviceId()).u64(c.seq());
            case MessagesExpired c -> w.u8(MESSAGES_EXPIRED).u64(c.throughSeq());
            case Change.MessageRetracted c -> w.u8(MESSAGE_RETRACTED).str16(c.sender()).bytes32(c.messageId());
            case KeysPublished c -> {
                w.u8(KEYS_PUBLISHED).str16(c.user()).u32(c.deviceId()).bytes32(c.identity()).bytes32(c.signedPreKey())
                        .bytes32(c.kemPreKey()).u32(c.oneTimePreKeys().size());
                for (OneTimeKey k : c.oneTimePreKeys()) {
                    w.u32(k.id()).bytes32(k.key());
                }
            }
            case SeqLeased c -> w.u8(SEQ_LEASED).u64(c.skipTo()).u64(c.upTo());
            case Change.AccountPublished c -> AccountRules.write(w.u8(ACCOUNT_PUBLISHED), c);
            case OneTimePreKeyTaken c -> w.u8(ONE_TIME_PREKEY_TAKEN).str16(c.user()).u32(c.deviceId()).u32(c.keyId());
            case Change.KemPreKeysPublished c -> {
                w.u8(KEM_PREKEYS_PUBLISHED).str16(c.user()).u32(c.deviceId()).u32(c.oneTimeKemPreKeys().size());
                for (OneTimeKey k : c.oneTimeKemPreKeys()) {
                    w.u32(k.id()).bytes32(k.key());
                }
            }
            case Change.OneTimeKemPreKeyTaken c -> w.u8(ONE_TIME_KEM_PREKEY_TAKEN).str16(c.user()).u32(c.deviceId())
                    .u32(c.keyId());
            case DeviceMessagesStored c -> {
                w.u8(DEVICE_MESSAGES_STORED).u64(c.firstSeq()).u64(c.tsMs()).u8(c.kind().code()).str16(c.target())
                        .str16(c.sender()).u32(c.senderDevice()).raw(c.messageId()).u8(c.alg())
                        .u32(c.entries().size());
                for (DeviceEntry e : c.entries()) {
                    w.str16(e.user()).u32(e.deviceId()).bytes32(e.body());
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
            case MessageStored c -> 1 + 1 + 8 + 8 + 1 + (2 + Utf8.length(c.target()))
                    + (2 + Utf8.length(c.sender())) + 4 + c.messageId().length + 1 + 4 + c.body().length;
            default -> 64;
        };
    }

    public static Change decode(byte[] record) {
        var r = BinaryReader.of(record, "change record", CorruptStateException::malformed);
        int version = r.u8();
        if (version != VERSION) {
            throw new CorruptStateException("unknown change record version " + version);
        }
        int tag = r.u8();
        Change c = switch (tag) {
            case USER_REGISTERED -> new UserRegistered(r.str16(), r.str16(), r.u64(), r.bytes32(KEY_BYTES));
            case PASSWORD_CHANGED -> new PasswordChanged(r.str16(), r.str16());
            case USER_BANNED -> new UserBanned(r.str16(), r.flag(), r.u64());
            case DEVICE_ADDED -> new DeviceAdded(r.str16(), r.u32(), r.str16(), r.bytes32(KEY_BYTES), r.bytes32(KEY_BYTES),
                    r.u64());
            case DEVICE_LOGGED_IN -> new DeviceLoggedIn(r.str16(), r.u32(), r.bytes32(KEY_BYTES), r.u64());
            case DEVICE_SEEN -> new DeviceSeen(r.str16(), r.u32(), r.u64());
            case DEVICE_REVOKED -> new DeviceRevoked(r.str16(), r.u32(), r.u64());
            case INVITE_CREATED -> new InviteCreated(r.bytes32(KEY_BYTES), r.u32(), r.u64(), r.u64());
            case ROOM_CREATED -> new RoomCreated(r.str16(), r.str16(), r.u64());
            case ROOM_INVITED -> new RoomInvited(r.str16(), r.str16(), r.u64());
            case ROOM_JOINED -> new RoomJoined(r.str16(), r.str16(), r.u64());
            case ROOM_LEFT -> new RoomLeft(r.str16(), r.str16(), r.u64());
            case ROOM_KICKED -> new RoomKicked(r.str16(), r.str16(), r.u64());
            case ROOM_SIGNED -> new Change.RoomSigned(r.str16(), r.str16(), r.u8(), r.str16(),
                    r.bytes32(MAX_STATEMENT_BYTES), r.u64());
            case MESSAGE_STORED -> new MessageStored(r.u64(), r.u64(), kind(r.u8()), r.str16(), r.str16(), r.u32(),
                    r.fixed(MessageId.LENGTH), r.u8(), r.bytes32(MAX_BYTES));
            case CURSOR_MOVED -> new CursorMoved(r.str16(), r.u32(), r.u64());
            case MESSAGES_EXPIRED -> new MessagesExpired(r.u64());
            case MESSAGE_RETRACTED -> new Change.MessageRetracted(r.str16(), r.bytes32(16));
            case KEYS_PUBLISHED -> {
                String user = r.str16();
                int device = r.u32();
                byte[] identity = r.bytes32(MAX_KEY_BYTES);
                byte[] spk = r.bytes32(MAX_KEY_BYTES);
                byte[] kpk = r.bytes32(MAX_KEY_BYTES);
                int n = r.count32(MAX_ONE_TIME_KEYS);
                var keys = new ArrayList<OneTimeKey>(n);
                for (int i = 0; i < n; i++) {
                    keys.add(new OneTimeKey(r.u32(), r.bytes32(MAX_KEY_BYTES)));
                }
                yield new KeysPublished(user, device, identity, spk, kpk, keys);
            }
            case SEQ_LEASED -> new SeqLeased(r.u64(), r.u64());
            case ACCOUNT_PUBLISHED -> AccountRules.read(r);
            case ONE_TIME_PREKEY_TAKEN -> new OneTimePreKeyTaken(r.str16(), r.u32(), r.u32());
            case KEM_PREKEYS_PUBLISHED -> {
                String user = r.str16();
                int device = r.u32();
                int n = r.count32(Domain.MAX_ONE_TIME_KEM_PREKEYS);
                var keys = new ArrayList<OneTimeKey>(n);
                for (int i = 0; i < n; i++) {
                    keys.add(new OneTimeKey(r.u32(), r.bytes32(MAX_KEY_BYTES)));
                }
                yield new Change.KemPreKeysPublished(user, device, keys);
            }
            case ONE_TIME_KEM_PREKEY_TAKEN -> new Change.OneTimeKemPreKeyTaken(r.str16(), r.u32(), r.u32());
            case DEVICE_MESSAGES_STORED -> {
                long first = r.u64();
                long ts = r.u64();
                Kind kind = kind(r.u8());
                String target = r.str16();
                String sender = r.str16();
                int senderDevice = r.u32();
                byte[] id = r.fixed(MessageId.LENGTH);
                int alg = r.u8();
                int n = r.count32(MAX_DEVICE_ENTRIES);
                var entries = new ArrayList<DeviceEntry>(Math.min(n, 64));
                for (int i = 0; i < n; i++) {
                    entries.add(new DeviceEntry(r.str16(), r.u32(), r.bytes32(MAX_BYTES)));
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
