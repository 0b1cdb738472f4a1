package crumbhub.wire;

import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Frames of end-to-end key distribution (docs/protocol.md §6): KEYS_PUBLISH to KEY_BUNDLES_REPLY (0x50–0x55). */
public sealed interface KeyFrame extends Frame {

    /**
     * 0x50 KEYS_PUBLISH, C→S: {@code bytes16(KEY) identity, bytes16(KEY) signedPreKey,
     * bytes16(KEY) kemPreKey, u16 n, n × bytes8(ONE_TIME_KEY) oneTimePreKey}: the device's
     * end-to-end identity and prekeys (docs/protocol.md §6). Answered by KEYS_STATUS.
     */
    record KeysPublish(int requestId, byte[] identity, byte[] signedPreKey, byte[] kemPreKey,
                       List<byte[]> oneTimePreKeys) implements KeyFrame {
        public KeysPublish(int requestId, byte[] identity, byte[] signedPreKey, byte[] kemPreKey,
                           List<byte[]> oneTimePreKeys) {
            Checks.bytes(identity, Limits.KEY, "identity");
            Checks.bytes(signedPreKey, Limits.KEY, "signed prekey");
            Checks.bytes(kemPreKey, Limits.KEY, "KEM prekey");
            List<byte[]> keys = List.copyOf(oneTimePreKeys);
            if (keys.size() > Limits.PREKEYS_PER_UPLOAD) {
                throw new IllegalArgumentException("at most " + Limits.PREKEYS_PER_UPLOAD + " one-time prekeys per upload");
            }
            for (byte[] k : keys) {
                Checks.bytes(k, Limits.ONE_TIME_KEY, "one-time prekey");
            }
            this.requestId = requestId;
            this.identity = identity;
            this.signedPreKey = signedPreKey;
            this.kemPreKey = kemPreKey;
            this.oneTimePreKeys = keys;
            Checks.list(keys, FrameCodec.payloadLength(this), "key upload");
        }

        @Override
        public int typeCode() {
            return FrameType.KEYS_PUBLISH.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.bytes16(identity).bytes16(signedPreKey).bytes16(kemPreKey).u16(oneTimePreKeys.size());
            for (byte[] k : oneTimePreKeys) {
                out.bytes8(k);
            }
        }

        static KeysPublish read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            byte[] identity = in.bytes16(Limits.KEY, "identity");
            byte[] spk = in.bytes16(Limits.KEY, "signedPreKey");
            byte[] kpk = in.bytes16(Limits.KEY, "kemPreKey");
            int n = in.count16(Limits.LIST_COUNT, 1, "oneTimePreKeys");
            if (n > Limits.PREKEYS_PER_UPLOAD) {
                throw in.malformed("more than " + Limits.PREKEYS_PER_UPLOAD + " one-time prekeys");
            }
            List<byte[]> keys = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                keys.add(in.bytes8(Limits.ONE_TIME_KEY, "oneTimePreKey"));
            }
            return new KeysPublish(requestId, identity, spk, kpk, keys);
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof KeysPublish k) || requestId != k.requestId || !Arrays.equals(identity, k.identity)
                    || !Arrays.equals(signedPreKey, k.signedPreKey) || !Arrays.equals(kemPreKey, k.kemPreKey)
                    || oneTimePreKeys.size() != k.oneTimePreKeys.size()) {
                return false;
            }
            for (int i = 0; i < oneTimePreKeys.size(); i++) {
                if (!Arrays.equals(oneTimePreKeys.get(i), k.oneTimePreKeys.get(i))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            int h = Objects.hash(requestId, Arrays.hashCode(identity), Arrays.hashCode(signedPreKey),
                    Arrays.hashCode(kemPreKey));
            for (byte[] k : oneTimePreKeys) {
                h = 31 * h + Arrays.hashCode(k);
            }
            return h;
        }

        @Override
        public String toString() {
            return "KeysPublish[requestId=" + requestId + ", oneTimePreKeys=" + oneTimePreKeys.size() + "]";
        }
    }

    /**
     * 0x51 KEYS_STATUS, S→C: {@code u16 oneTimePreKeys}, the one-time prekeys the server holds for
     * this device. The reply to KEYS_PUBLISH, and a push (id 0) when the pool runs low.
     */
    record KeysStatus(int requestId, int oneTimePreKeys) implements KeyFrame {
        public KeysStatus {
            Checks.u16(oneTimePreKeys, "oneTimePreKeys");
        }

        @Override
        public int typeCode() {
            return FrameType.KEYS_STATUS.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.u16(oneTimePreKeys);
        }

        static KeysStatus read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new KeysStatus(requestId, in.u16("oneTimePreKeys"));
        }
    }

    /** 0x52 DEVICE_KEYS, C→S: {@code u16 n, n × str8(NAME) user}, n ≤ USERS_PER_KEY_REQUEST. */
    record DeviceKeys(int requestId, List<String> users) implements KeyFrame {
        public DeviceKeys {
            users = List.copyOf(users);
            if (users.size() > Limits.USERS_PER_KEY_REQUEST) {
                throw new IllegalArgumentException("at most " + Limits.USERS_PER_KEY_REQUEST + " users per request");
            }
            for (String u : users) {
                Checks.str(u, Limits.NAME, "user");
            }
        }

        @Override
        public int typeCode() {
            return FrameType.DEVICE_KEYS.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.u16(users.size());
            for (String u : users) {
                out.str8(u);
            }
        }

        static DeviceKeys read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            int n = in.count16(Limits.LIST_COUNT, 1, "users");
            if (n > Limits.USERS_PER_KEY_REQUEST) {
                throw in.malformed("more than " + Limits.USERS_PER_KEY_REQUEST + " users");
            }
            List<String> users = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                users.add(in.str8(Limits.NAME, "user"));
            }
            return new DeviceKeys(requestId, users);
        }
    }

    /**
     * 0x53 DEVICE_KEYS_REPLY, S→C: {@code u16 n, n × UserDeviceKeys, u8 more}: the requested users
     * in request order; {@code more} says the users after the last one listed did not fit.
     */
    record DeviceKeysReply(int requestId, List<UserDeviceKeys> users, boolean more) implements KeyFrame {
        public DeviceKeysReply(int requestId, List<UserDeviceKeys> users, boolean more) {
            this.requestId = requestId;
            this.users = List.copyOf(users);
            this.more = more;
            Checks.list(this.users, FrameCodec.payloadLength(this), "device key list");
        }

        /** A reply with as many leading entries of {@code all} as fit in one frame; {@code more} if some did not. */
        public static DeviceKeysReply fitting(int requestId, List<UserDeviceKeys> all) {
            List<UserDeviceKeys> fit = Entries.fitting(all, new DeviceKeysReply(requestId, List.of(), false));
            return new DeviceKeysReply(requestId, fit, fit.size() < all.size());
        }

        @Override
        public int typeCode() {
            return FrameType.DEVICE_KEYS_REPLY.code();
        }

        @Override
        public void write(BinaryWriter out) {
            Entries.writeList(out, users, more);
        }

        static DeviceKeysReply read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            int n = in.count16(Limits.LIST_COUNT, UserDeviceKeys.MIN_LENGTH, "users");
            List<UserDeviceKeys> users = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                users.add(UserDeviceKeys.read(in));
            }
            return new DeviceKeysReply(requestId, users, in.flag("more"));
        }
    }

    /**
     * 0x54 KEY_BUNDLES, C→S: {@code str8(NAME) user, u16 n, n × u32 deviceId}, n ≤
     * DEVICES_PER_BUNDLE_REQUEST: a prekey bundle for each named device, each taking one one-time prekey.
     */
    record KeyBundles(int requestId, String user, List<Integer> deviceIds) implements KeyFrame {
        public KeyBundles {
            Checks.str(user, Limits.NAME, "user");
            deviceIds = DeviceIds.checked(deviceIds);
        }

        @Override
        public int typeCode() {
            return FrameType.KEY_BUNDLES.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.str8(user);
            DeviceIds.write(out, deviceIds);
        }

        static KeyBundles read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            String user = in.str8(Limits.NAME, "user");
            return new KeyBundles(requestId, user, DeviceIds.read(in));
        }
    }

    /**
     * 0x55 KEY_BUNDLES_REPLY, S→C: {@code str8(NAME) user, u16 n, n × KeyBundle, u8 more}: one bundle
     * per requested device that is active and has published keys, in request order.
     */
    record KeyBundlesReply(int requestId, String user, List<KeyBundle> bundles, boolean more) implements KeyFrame {
        public KeyBundlesReply(int requestId, String user, List<KeyBundle> bundles, boolean more) {
            Checks.str(user, Limits.NAME, "user");
            this.requestId = requestId;
            this.user = user;
            this.bundles = List.copyOf(bundles);
            this.more = more;
            Checks.list(this.bundles, FrameCodec.payloadLength(this), "bundle list");
        }

        /** A reply with as many leading bundles as fit in one frame; {@code more} if some did not. */
        public static KeyBundlesReply fitting(int requestId, String user, List<KeyBundle> all) {
            List<KeyBundle> fit = Entries.fitting(all, new KeyBundlesReply(requestId, user, List.of(), false));
            return new KeyBundlesReply(requestId, user, fit, fit.size() < all.size());
        }

        @Override
        public int typeCode() {
            return FrameType.KEY_BUNDLES_REPLY.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.str8(user);
            Entries.writeList(out, bundles, more);
        }

        static KeyBundlesReply read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            String user = in.str8(Limits.NAME, "user");
            int n = in.count16(Limits.LIST_COUNT, KeyBundle.MIN_LENGTH, "bundles");
            List<KeyBundle> bundles = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                bundles.add(KeyBundle.read(in));
            }
            return new KeyBundlesReply(requestId, user, bundles, in.flag("more"));
        }
    }
}
