package crumbhub.wire;

import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Frames of account identities (docs/protocol.md §7): ACCOUNT_PUBLISH, ACCOUNT_KEYS and
 * ACCOUNT_KEYS_REPLY (0x60–0x62). The server stores and serves what they carry without
 * judging it: the clients verify every signature (docs/crypto.md "Account identity").
 */
public sealed interface AccountFrame extends Frame {

    /** One device's certificate: {@code u32 deviceId, bytes16(CERTIFICATE) certificate}. Held by reference. */
    record Certificate(int deviceId, byte[] certificate) implements Entries.Entry {
        public Certificate {
            Checks.bytes(certificate, Limits.CERTIFICATE, "certificate");
        }

        static final int MIN_LENGTH = 6;

        @Override
        public void write(BinaryWriter out) {
            out.u32(deviceId).bytes16(certificate);
        }

        static Certificate read(BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new Certificate(in.u32("deviceId"), in.bytes16(Limits.CERTIFICATE, "certificate"));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Certificate c && deviceId == c.deviceId && Arrays.equals(certificate, c.certificate);
        }

        @Override
        public int hashCode() {
            return 31 * deviceId + Arrays.hashCode(certificate);
        }

        @Override
        public String toString() {
            return "Certificate[deviceId=" + Integer.toUnsignedString(deviceId) + ", <" + certificate.length + " bytes>]";
        }
    }

    /**
     * 0x60 ACCOUNT_PUBLISH, C→S: {@code bytes16(ACCOUNT_KEY) identity, bytes16(ESCROW) escrow,
     * u8 n, n × Certificate}, n ≤ CERTIFICATES_PER_PUBLISH. An empty identity or escrow keeps what
     * is stored. Answered by OK.
     */
    record AccountPublish(int requestId, byte[] identity, byte[] escrow, List<Certificate> certificates)
            implements AccountFrame {
        public AccountPublish {
            Checks.bytes(identity, Limits.ACCOUNT_KEY, "identity");
            Checks.bytes(escrow, Limits.ESCROW, "escrow");
            certificates = List.copyOf(certificates);
            if (certificates.size() > Limits.CERTIFICATES_PER_PUBLISH) {
                throw new IllegalArgumentException("at most " + Limits.CERTIFICATES_PER_PUBLISH + " certificates");
            }
        }

        @Override
        public int typeCode() {
            return FrameType.ACCOUNT_PUBLISH.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.bytes16(identity).bytes16(escrow).u8(certificates.size());
            for (Certificate c : certificates) {
                c.write(out);
            }
        }

        static AccountPublish read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            byte[] identity = in.bytes16(Limits.ACCOUNT_KEY, "identity");
            byte[] escrow = in.bytes16(Limits.ESCROW, "escrow");
            int n = in.count8(Certificate.MIN_LENGTH, "certificates");
            if (n > Limits.CERTIFICATES_PER_PUBLISH) {
                throw in.malformed("more than " + Limits.CERTIFICATES_PER_PUBLISH + " certificates");
            }
            var certs = new ArrayList<Certificate>(n);
            for (int i = 0; i < n; i++) {
                certs.add(Certificate.read(in));
            }
            return new AccountPublish(requestId, identity, escrow, certs);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof AccountPublish p && requestId == p.requestId && Arrays.equals(identity, p.identity)
                    && Arrays.equals(escrow, p.escrow) && certificates.equals(p.certificates);
        }

        @Override
        public int hashCode() {
            return Objects.hash(requestId, Arrays.hashCode(identity), Arrays.hashCode(escrow), certificates);
        }

        @Override
        public String toString() {
            return "AccountPublish[requestId=" + requestId + ", identity=<" + identity.length + " bytes>, escrow=<"
                    + escrow.length + " bytes>, certificates=" + certificates.size() + "]";
        }
    }

    /**
     * 0x61 ACCOUNT_KEYS, C→S: {@code str8(NAME) user, u16 n, n × u32 deviceId}, n ≤
     * DEVICES_PER_BUNDLE_REQUEST: the account identity of {@code user} and the certificates of
     * the named devices.
     */
    record AccountKeys(int requestId, String user, List<Integer> deviceIds) implements AccountFrame {
        public AccountKeys {
            Checks.str(user, Limits.NAME, "user");
            deviceIds = DeviceIds.checked(deviceIds);
        }

        @Override
        public int typeCode() {
            return FrameType.ACCOUNT_KEYS.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.str8(user);
            DeviceIds.write(out, deviceIds);
        }

        static AccountKeys read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            String user = in.str8(Limits.NAME, "user");
            return new AccountKeys(requestId, user, DeviceIds.read(in));
        }
    }

    /**
     * 0x62 ACCOUNT_KEYS_REPLY, S→C: {@code str8(NAME) user, bytes16(ACCOUNT_KEY) identity (empty if
     * none), bytes16(ESCROW) escrow (only for the asking user's own account, else empty), u16 n,
     * n × Certificate, u8 more}: the certificates of the named devices that are active and have
     * one, in request order; {@code more} when the rest did not fit.
     */
    record AccountKeysReply(int requestId, String user, byte[] identity, byte[] escrow, List<Certificate> certificates,
                            boolean more) implements AccountFrame {
        public AccountKeysReply(int requestId, String user, byte[] identity, byte[] escrow,
                                List<Certificate> certificates, boolean more) {
            Checks.str(user, Limits.NAME, "user");
            Checks.bytes(identity, Limits.ACCOUNT_KEY, "identity");
            Checks.bytes(escrow, Limits.ESCROW, "escrow");
            this.requestId = requestId;
            this.user = user;
            this.identity = identity;
            this.escrow = escrow;
            this.certificates = List.copyOf(certificates);
            this.more = more;
            Checks.list(this.certificates, FrameCodec.payloadLength(this), "certificate list");
        }

        /** A reply with as many leading certificates as fit in one frame; {@code more} if some did not. */
        public static AccountKeysReply fitting(int requestId, String user, byte[] identity, byte[] escrow,
                                               List<Certificate> all) {
            var fit = Entries.fitting(all, new AccountKeysReply(requestId, user, identity, escrow, List.of(), false));
            return new AccountKeysReply(requestId, user, identity, escrow, fit, fit.size() < all.size());
        }

        @Override
        public int typeCode() {
            return FrameType.ACCOUNT_KEYS_REPLY.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.str8(user).bytes16(identity).bytes16(escrow);
            Entries.writeList(out, certificates, more);
        }

        static AccountKeysReply read(int requestId, BinaryReader<MalformedFrameException> in)
                throws MalformedFrameException {
            String user = in.str8(Limits.NAME, "user");
            byte[] identity = in.bytes16(Limits.ACCOUNT_KEY, "identity");
            byte[] escrow = in.bytes16(Limits.ESCROW, "escrow");
            int n = in.count16(Limits.LIST_COUNT, Certificate.MIN_LENGTH, "certificates");
            var certs = new ArrayList<Certificate>(n);
            for (int i = 0; i < n; i++) {
                certs.add(Certificate.read(in));
            }
            return new AccountKeysReply(requestId, user, identity, escrow, certs, in.flag("more"));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof AccountKeysReply r && requestId == r.requestId && user.equals(r.user)
                    && Arrays.equals(identity, r.identity) && Arrays.equals(escrow, r.escrow)
                    && certificates.equals(r.certificates) && more == r.more;
        }

        @Override
        public int hashCode() {
            return Objects.hash(requestId, user, Arrays.hashCode(identity), certificates, more);
        }

        @Override
        public String toString() {
            return "AccountKeysReply[requestId=" + requestId + ", user=" + user + ", identity=<" + identity.length
                    + " bytes>, escrow=<" + escrow.length + " bytes>, certificates=" + certificates.size()
                    + ", more=" + more + "]";
        }
    }
}
