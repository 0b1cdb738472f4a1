package crumbhub.wire;

import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Frames of signed one-time ML-KEM prekeys (docs/protocol.md §6, "One-time ML-KEM prekeys"):
 * KEM_PREKEYS_PUBLISH to KEY_BUNDLES_PQ_REPLY (0x68–0x6B). A separate area from {@link KeyFrame},
 * whose frames keep their encodings, so a client that does not know these frames still works.
 */
public sealed interface KemKeyFrame extends Frame {

    /**
     * 0x68 KEM_PREKEYS_PUBLISH, C→S: {@code bytes16(KEY) identity, u16 n, n × bytes16(KEY)
     * oneTimeKemPreKey}, n ≤ KEM_PREKEYS_PER_UPLOAD: signed one-time ML-KEM prekeys for the pool of
     * the sending device, whose published identity {@code identity} must be (it signed them).
     * Answered by KEM_PREKEYS_STATUS; n = 0 only asks for the pool's size.
     */
    record KemPreKeysPublish(int requestId, byte[] identity, List<byte[]> oneTimeKemPreKeys) implements KemKeyFrame {
        public KemPreKeysPublish(int requestId, byte[] identity, List<byte[]> oneTimeKemPreKeys) {
            Checks.bytes(identity, Limits.KEY, "identity");
            List<byte[]> keys = List.copyOf(oneTimeKemPreKeys);
            if (keys.size() > Limits.KEM_PREKEYS_PER_UPLOAD) {
                throw new IllegalArgumentException("at most " + Limits.KEM_PREKEYS_PER_UPLOAD + " one-time KEM prekeys per upload");
            }
            for (byte[] k : keys) {
                Checks.bytes(k, Limits.KEY, "one-time KEM prekey");
            }
            this.requestId = requestId;
            this.identity = identity;
            this.oneTimeKemPreKeys = keys;
            Checks.list(keys, FrameCodec.payloadLength(this), "KEM prekey upload");
        }

        @Override
        public int typeCode() {
            return FrameType.KEM_PREKEYS_PUBLISH.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.bytes16(identity).u16(oneTimeKemPreKeys.size());
            for (byte[] k : oneTimeKemPreKeys) {
                out.bytes16(k);
            }
        }

        static KemPreKeysPublish read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            byte[] identity = in.bytes16(Limits.KEY, "identity");
            int n = in.count16(Limits.LIST_COUNT, 2, "oneTimeKemPreKeys");
            if (n > Limits.KEM_PREKEYS_PER_UPLOAD) {
                throw in.malformed("more than " + Limits.KEM_PREKEYS_PER_UPLOAD + " one-time KEM prekeys");
            }
            List<byte[]> keys = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                keys.add(in.bytes16(Limits.KEY, "oneTimeKemPreKey"));
            }
            return new KemPreKeysPublish(requestId, identity, keys);
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof KemPreKeysPublish k) || requestId != k.requestId || !Arrays.equals(identity, k.identity)
                    || oneTimeKemPreKeys.size() != k.oneTimeKemPreKeys.size()) {
                return false;
            }
            for (int i = 0; i < oneTimeKemPreKeys.size(); i++) {
                if (!Arrays.equals(oneTimeKemPreKeys.get(i), k.oneTimeKemPreKeys.get(i))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            int h = Objects.hash(requestId, Arrays.hashCode(identity));
            for (byte[] k : oneTimeKemPreKeys) {
                h = 31 * h + Arrays.hashCode(k);
            }
            return h;
        }

        @Override
        public String toString() {
            return "KemPreKeysPublish[requestId=" + requestId + ", oneTimeKemPreKeys=" + oneTimeKemPreKeys.size() + "]";
        }
    }

    /**
     * 0x69 KEM_PREKEYS_STATUS, S→C: {@code u16 oneTimeKemPreKeys}, the one-time ML-KEM prekeys the
     * server holds for this device. The reply to KEM_PREKEYS_PUBLISH, and a push (id 0) when the
     * pool runs low.
     */
    record KemPreKeysStatus(int requestId, int oneTimeKemPreKeys) implements KemKeyFrame {
        public KemPreKeysStatus {
            Checks.u16(oneTimeKemPreKeys, "oneTimeKemPreKeys");
        }

        @Override
        public int typeCode() {
            return FrameType.KEM_PREKEYS_STATUS.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.u16(oneTimeKemPreKeys);
        }

        static KemPreKeysStatus read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new KemPreKeysStatus(requestId, in.u16("oneTimeKemPreKeys"));
        }
    }

    /**
     * 0x6A KEY_BUNDLES_PQ, C→S: {@code str8(NAME) user, u16 n, n × u32 deviceId}, as KEY_BUNDLES;
     * each bundle also takes one one-time ML-KEM prekey. Answered by KEY_BUNDLES_PQ_REPLY.
     */
    record KeyBundlesPq(int requestId, String user, List<Integer> deviceIds) implements KemKeyFrame {
        public KeyBundlesPq {
            Checks.str(user, Limits.NAME, "user");
            deviceIds = DeviceIds.checked(deviceIds);
        }

        @Override
        public int typeCode() {
            return FrameType.KEY_BUNDLES_PQ.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.str8(user);
            DeviceIds.write(out, deviceIds);
        }

        static KeyBundlesPq read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            String user = in.str8(Limits.NAME, "user");
            return new KeyBundlesPq(requestId, user, DeviceIds.read(in));
        }
    }

    /**
     * 0x6B KEY_BUNDLES_PQ_REPLY, S→C: {@code str8(NAME) user, u16 n, n × PqKeyBundle, u8 more}: one
     * bundle per requested device that is active and has published keys, in request order.
     */
    record KeyBundlesPqReply(int requestId, String user, List<PqKeyBundle> bundles, boolean more) implements KemKeyFrame {
        public KeyBundlesPqReply(int requestId, String user, List<PqKeyBundle> bundles, boolean more) {
            Checks.str(user, Limits.NAME, "user");
            this.requestId = requestId;
            this.user = user;
            this.bundles = List.copyOf(bundles);
            this.more = more;
            Checks.list(this.bundles, FrameCodec.payloadLength(this), "bundle list");
        }

        /** A reply with as many leading bundles as fit in one frame; {@code more} if some did not. */
        public static KeyBundlesPqReply fitting(int requestId, String user, List<PqKeyBundle> all) {
            List<PqKeyBundle> fit = Entries.fitting(all, new KeyBundlesPqReply(requestId, user, List.of(), false));
            return new KeyBundlesPqReply(requestId, user, fit, fit.size() < all.size());
        }

        @Override
        public int typeCode() {
            return FrameType.KEY_BUNDLES_PQ_REPLY.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.str8(user);
            Entries.writeList(out, bundles, more);
        }

        static KeyBundlesPqReply read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            String user = in.str8(Limits.NAME, "user");
            int n = in.count16(Limits.LIST_COUNT, PqKeyBundle.MIN_LENGTH, "bundles");
            List<PqKeyBundle> bundles = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                bundles.add(PqKeyBundle.read(in));
            }
            return new KeyBundlesPqReply(requestId, user, bundles, in.flag("more"));
        }
    }
}
