package crumbhub.wire;

import crumbhub.crypto.binary.BinaryReader;

/**
 * The table of frame types of docs/protocol.md §2: each entry is a type byte and the reader of its
 * record. Types not listed here decode as {@link Frame.Unknown}. Types 0x50–0x6f belong to
 * end-to-end key distribution; 0x57–0x5f and 0x63–0x6f are still free; 0x60–0x62 are account identities (§7); 0x78–0x7d the history backup (§8); 0x80–0x86 the file blob store (§10); 0x90 the membership push, 0x91 retracting a deleted message. Adding a frame type is one record in its
 * area's file and one entry here (docs/protocol.md §2.1).
 */
public enum FrameType {
    OK(0x01, ControlFrame.Ok::read),
    ERROR(0x02, ControlFrame.Error::read),
    REGISTER(0x10, AuthFrame.Register::read),
    LOGIN(0x11, AuthFrame.Login::read),
    RESUME(0x12, AuthFrame.Resume::read),
    AUTH_OK(0x13, AuthFrame.AuthOk::read),
    LOGOUT(0x14, AuthFrame.Logout::read),
    DEVICES(0x15, DeviceFrame.Devices::read),
    DEVICE_LIST(0x16, DeviceFrame.DeviceList::read),
    DEVICE_REVOKE(0x17, DeviceFrame.DeviceRevoke::read),
    ROOM_CREATE(0x20, RoomFrame.RoomCreate::read),
    ROOM_INVITE(0x21, RoomFrame.RoomInvite::read),
    ROOM_JOIN(0x22, RoomFrame.RoomJoin::read),
    ROOM_LEAVE(0x23, RoomFrame.RoomLeave::read),
    ROOM_KICK(0x24, RoomFrame.RoomKick::read),
    ROOM_LIST(0x25, RoomFrame.RoomList::read),
    ROOM_LIST_REPLY(0x26, RoomFrame.RoomListReply::read),
    ROOM_MEMBERS(0x27, RoomFrame.RoomMembers::read),
    MEMBER_LIST(0x28, RoomFrame.MemberList::read),
    SEND(0x30, MessageFrame.Send::read),
    SEND_OK(0x31, MessageFrame.SendOk::read),
    SYNC(0x32, MessageFrame.Sync::read),
    SYNC_DONE(0x33, MessageFrame.SyncDone::read),
    DELIVER(0x34, MessageFrame.Deliver::read),
    ACK(0x35, MessageFrame.Ack::read),
    PING(0x40, ControlFrame.Ping::read),
    PONG(0x41, ControlFrame.Pong::read),
    KEYS_PUBLISH(0x50, KeyFrame.KeysPublish::read),
    KEYS_STATUS(0x51, KeyFrame.KeysStatus::read),
    DEVICE_KEYS(0x52, KeyFrame.DeviceKeys::read),
    DEVICE_KEYS_REPLY(0x53, KeyFrame.DeviceKeysReply::read),
    KEY_BUNDLES(0x54, KeyFrame.KeyBundles::read),
    KEY_BUNDLES_REPLY(0x55, KeyFrame.KeyBundlesReply::read),
    SEND_DEVICES(0x56, MessageFrame.SendDevices::read),
    ACCOUNT_PUBLISH(0x60, AccountFrame.AccountPublish::read),
    ACCOUNT_KEYS(0x61, AccountFrame.AccountKeys::read),
    ACCOUNT_KEYS_REPLY(0x62, AccountFrame.AccountKeysReply::read),
    KEM_PREKEYS_PUBLISH(0x68, KemKeyFrame.KemPreKeysPublish::read),
    KEM_PREKEYS_STATUS(0x69, KemKeyFrame.KemPreKeysStatus::read),
    KEY_BUNDLES_PQ(0x6A, KemKeyFrame.KeyBundlesPq::read),
    KEY_BUNDLES_PQ_REPLY(0x6B, KemKeyFrame.KeyBundlesPqReply::read),
    ROOM_STATEMENT(0x70, RoomLogFrame.RoomStatement::read),
    ROOM_LOG(0x71, RoomLogFrame.RoomLog::read),
    ROOM_LOG_REPLY(0x72, RoomLogFrame.RoomLogReply::read),
    BACKUP_APPEND(0x78, BackupFrame.BackupAppend::read),
    BACKUP_LIST(0x79, BackupFrame.BackupList::read),
    BACKUP_LIST_REPLY(0x7a, BackupFrame.BackupListReply::read),
    BACKUP_FETCH(0x7b, BackupFrame.BackupFetch::read),
    BACKUP_BATCHES(0x7c, BackupFrame.BackupBatches::read),
    BACKUP_DELETE(0x7d, BackupFrame.BackupDelete::read),
    FILE_BEGIN(0x80, FileFrame.FileBegin::read),
    FILE_STATUS(0x81, FileFrame.FileStatus::read),
    FILE_APPEND(0x82, FileFrame.FileAppend::read),
    FILE_QUERY(0x83, FileFrame.FileQuery::read),
    FILE_FINISH(0x84, FileFrame.FileFinish::read),
    FILE_READ(0x85, FileFrame.FileRead::read),
    FILE_DATA(0x86, FileFrame.FileData::read),
    MEMBERSHIP_CHANGED(0x90, MembershipFrame.MembershipChanged::read),
    RETRACT(0x91, RetractFrame.Retract::read);

    /** Reads one record's payload: every field, each checked against its bound before allocating. */
    @FunctionalInterface
    interface Reader {
        Frame read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException;
    }

    private static final FrameType[] BY_CODE = new FrameType[256];

    static {
        for (FrameType t : values()) {
            if (BY_CODE[t.code] != null) {
                throw new ExceptionInInitializerError("type byte " + t.code + " is listed twice");
            }
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final Reader reader;

    FrameType(int code, Reader reader) {
        this.code = code;
        this.reader = reader;
    }

    /** The type byte. */
    public int code() {
        return code;
    }

    /** Reads the payload of a frame of this type. */
    Frame read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
        return reader.read(requestId, in);
    }

    /** The type for a type byte (0..255), or null if this version does not define it. */
    public static FrameType fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** The protocol name of a type byte for logs: {@code SEND}, or {@code 0x5a} when unknown. */
    public static String describe(int code) {
        FrameType t = fromCode(code);
        return t != null ? t.name() : String.format("0x%02x", code);
    }
}
