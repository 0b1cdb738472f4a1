package crumbhub.wire;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One fixed sample of every frame type, keyed by the name of its golden file. */
final class FrameSamples {
    private FrameSamples() {}

    static DeviceToken token() {
        byte[] t = new byte[32];
        for (int i = 0; i < t.length; i++) {
            t[i] = (byte) i;
        }
        return DeviceToken.of(t);
    }

    static final MessageId ID = new MessageId(0x0123456789abcdefL, 0xfedcba9876543210L);

    /** {@code n} bytes of value {@code b}. */
    static byte[] bytes(int b, int n) {
        byte[] out = new byte[n];
        java.util.Arrays.fill(out, (byte) b);
        return out;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Name of the golden file (without .hex) to sample frame, in type order. */
    static Map<String, Frame> all() {
        Map<String, Frame> m = new LinkedHashMap<>();
        m.put("01-OK", new ControlFrame.Ok(1));
        m.put("02-ERROR", new ControlFrame.Error(2, "not_found", "no such room: #café"));
        m.put("10-REGISTER", new AuthFrame.Register(3, "alice", utf8("correct horse"), "INV-123", "laptop"));
        m.put("11-LOGIN", new AuthFrame.Login(4, "alice", utf8("correct horse"), "phone"));
        m.put("12-RESUME", new AuthFrame.Resume(5, "alice", 7, token()));
        m.put("13-AUTH_OK", new AuthFrame.AuthOk(5, "alice", 7, token()));
        m.put("14-LOGOUT", new AuthFrame.Logout(6));
        m.put("15-DEVICES", new DeviceFrame.Devices(7));
        m.put("16-DEVICE_LIST", new DeviceFrame.DeviceList(7, List.of(
                new DeviceInfo(7, "laptop", 1_700_000_000_000L, 1_700_000_100_000L, true),
                new DeviceInfo(8, "phone \uD83D\uDCF1", 1_700_000_000_500L, 1_700_000_050_000L, false)), false));
        m.put("17-DEVICE_REVOKE", new DeviceFrame.DeviceRevoke(8, 8));
        m.put("20-ROOM_CREATE", new RoomFrame.RoomCreate(9, "general"));
        m.put("21-ROOM_INVITE", new RoomFrame.RoomInvite(10, "general", "bob"));
        m.put("22-ROOM_JOIN", new RoomFrame.RoomJoin(11, "general"));
        m.put("23-ROOM_LEAVE", new RoomFrame.RoomLeave(12, "general"));
        m.put("24-ROOM_KICK", new RoomFrame.RoomKick(13, "general", "mallory"));
        m.put("25-ROOM_LIST", new RoomFrame.RoomList(14));
        m.put("26-ROOM_LIST_REPLY", new RoomFrame.RoomListReply(14, List.of(
                new RoomInfo("general", RoomStatus.MEMBER, 3), new RoomInfo("ops", RoomStatus.INVITED, 65_535)), true));
        m.put("27-ROOM_MEMBERS", new RoomFrame.RoomMembers(15, "general"));
        m.put("28-MEMBER_LIST", new RoomFrame.MemberList(15, List.of(new MemberInfo("alice", MemberRole.OWNER),
                new MemberInfo("bob", MemberRole.MEMBER), new MemberInfo("carol", MemberRole.INVITED)), false));
        m.put("30-SEND", new MessageFrame.Send(16, TargetKind.ROOM, "general", ID, 0, utf8("hello")));
        m.put("31-SEND_OK", new MessageFrame.SendOk(16, 42, 1_700_000_200_000L));
        m.put("32-SYNC", new MessageFrame.Sync(17));
        m.put("33-SYNC_DONE", new MessageFrame.SyncDone(17, 3, 42));
        m.put("34-DELIVER", new MessageFrame.Deliver(0, TargetKind.DIRECT, "bob", "alice", 7, 43, 1_700_000_300_000L, ID, 1,
                new byte[] {0, 1, 2, (byte) 0xff}));
        m.put("35-ACK", new MessageFrame.Ack(18, 43));
        m.put("40-PING", new ControlFrame.Ping(0xFFFF_FFFF, 0x8000_0000_0000_0001L));
        m.put("41-PONG", new ControlFrame.Pong(19, -1L));
        m.put("50-KEYS_PUBLISH", new KeyFrame.KeysPublish(21, bytes(0x11, 5), bytes(0x22, 3), bytes(0x33, 4),
                List.of(bytes(0x44, 2), bytes(0x55, 1))));
        m.put("51-KEYS_STATUS", new KeyFrame.KeysStatus(0, 24));
        m.put("52-DEVICE_KEYS", new KeyFrame.DeviceKeys(22, List.of("alice", "bob")));
        m.put("53-DEVICE_KEYS_REPLY", new KeyFrame.DeviceKeysReply(22, List.of(
                new UserDeviceKeys("alice", List.of(new DeviceKey(1, bytes(0xa1, 3)), new DeviceKey(2, bytes(0xa2, 2)))),
                new UserDeviceKeys("bob", List.of())), false));
        m.put("54-KEY_BUNDLES", new KeyFrame.KeyBundles(23, "bob", List.of(1, 0xFFFF_FFFE)));
        m.put("55-KEY_BUNDLES_REPLY", new KeyFrame.KeyBundlesReply(23, "bob", List.of(
                new KeyBundle(1, bytes(0xb1, 2), bytes(0xb2, 2), bytes(0xb3, 2), bytes(0xb4, 2)),
                new KeyBundle(0xFFFF_FFFE, bytes(0xc1, 1), bytes(0xc2, 1), bytes(0xc3, 1), new byte[0])), true));
        m.put("56-SEND_DEVICES", new MessageFrame.SendDevices(24, TargetKind.DIRECT, "bob", ID, 1, List.of(
                new DeviceBody("bob", 1, new byte[] {1, 2, 3}), new DeviceBody("alice", 2, new byte[0]))));
        m.put("60-ACCOUNT_PUBLISH", new AccountFrame.AccountPublish(25, bytes(0x61, 3), bytes(0x62, 2), List.of(
                new AccountFrame.Certificate(1, bytes(0x63, 2)), new AccountFrame.Certificate(0xFFFF_FFFE, bytes(0x64, 1)))));
        m.put("61-ACCOUNT_KEYS", new AccountFrame.AccountKeys(26, "bob", List.of(1, 2)));
        m.put("62-ACCOUNT_KEYS_REPLY", new AccountFrame.AccountKeysReply(26, "bob", bytes(0x65, 2), new byte[0], List.of(
                new AccountFrame.Certificate(2, bytes(0x66, 3))), true));
        m.put("68-KEM_PREKEYS_PUBLISH", new KemKeyFrame.KemPreKeysPublish(27, bytes(0x67, 3),
                List.of(bytes(0x68, 2), bytes(0x69, 1))));
        m.put("69-KEM_PREKEYS_STATUS", new KemKeyFrame.KemPreKeysStatus(0, 9));
        m.put("6a-KEY_BUNDLES_PQ", new KemKeyFrame.KeyBundlesPq(28, "bob", List.of(1, 0xFFFF_FFFE)));
        m.put("6b-KEY_BUNDLES_PQ_REPLY", new KemKeyFrame.KeyBundlesPqReply(28, "bob", List.of(
                new PqKeyBundle(new KeyBundle(1, bytes(0xb1, 2), bytes(0xb2, 2), bytes(0xb3, 2), bytes(0xb4, 2)), bytes(0x6b, 2)),
                new PqKeyBundle(new KeyBundle(0xFFFF_FFFE, bytes(0xc1, 1), bytes(0xc2, 1), bytes(0xc3, 1), new byte[0]),
                        new byte[0])), false));
        m.put("70-ROOM_STATEMENT", new RoomLogFrame.RoomStatement(27, new RoomLogFrame.Statement(bytes(0x71, 3))));
        m.put("71-ROOM_LOG", new RoomLogFrame.RoomLog(28, "ops", 2));
        m.put("72-ROOM_LOG_REPLY", new RoomLogFrame.RoomLogReply(28, "ops", 2, 4, List.of(
                new RoomLogFrame.Statement(bytes(0x72, 2)), new RoomLogFrame.Statement(bytes(0x73, 1))), true));
        m.put("78-BACKUP_APPEND", new BackupFrame.BackupAppend(27, 0x0102030405060708L, 3, bytes(0x71, 4)));
        m.put("79-BACKUP_LIST", new BackupFrame.BackupList(28));
        m.put("7a-BACKUP_LIST_REPLY", new BackupFrame.BackupListReply(28, 5000, 1L << 28, List.of(
                new BackupFrame.Stream(1, 0x0102030405060708L, 4, 4000), new BackupFrame.Stream(0xFFFF_FFFE, 9, 1, 1000)),
                false));
        m.put("7b-BACKUP_FETCH", new BackupFrame.BackupFetch(29, 1, 0x0102030405060708L, 2));
        m.put("7c-BACKUP_BATCHES", new BackupFrame.BackupBatches(29, 1, 0x0102030405060708L, 2, List.of(
                new BackupFrame.Blob(bytes(0x72, 3)), new BackupFrame.Blob(bytes(0x73, 2))), true));
        m.put("7d-BACKUP_DELETE", new BackupFrame.BackupDelete(30));
        var file = new FileId(0x0102030405060708L, 0x1112131415161718L);
        m.put("80-FILE_BEGIN", new FileFrame.FileBegin(31, 8_389_000));
        m.put("81-FILE_STATUS", new FileFrame.FileStatus(31, file, 8_389_000, 120_000, false));
        m.put("82-FILE_APPEND", new FileFrame.FileAppend(32, file, 120_000, bytes(0x74, 3)));
        m.put("83-FILE_QUERY", new FileFrame.FileQuery(33, file));
        m.put("84-FILE_FINISH", new FileFrame.FileFinish(34, file));
        m.put("85-FILE_READ", new FileFrame.FileRead(35, file, 60_000, 60_000));
        m.put("86-FILE_DATA", new FileFrame.FileData(35, file, 60_000, 8_389_000, bytes(0x75, 2)));
        m.put("90-MEMBERSHIP_CHANGED", new MembershipFrame.MembershipChanged(0, "general", MembershipFrame.KICK, "bob",
                "alice"));
        m.put("91-RETRACT", new RetractFrame.Retract(31, ID));
        m.put("7f-UNKNOWN", new Frame.Unknown(20, 0x7f));
        return m;
    }
}
