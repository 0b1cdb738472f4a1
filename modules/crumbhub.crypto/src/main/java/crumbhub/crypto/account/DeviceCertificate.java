package crumbhub.crypto.account;

import crumbhub.crypto.Algorithms;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * An account's approval of one device (docs/crypto.md "Device certificates"): the account identity
 * of epoch {@code epoch} signed that device {@code deviceId} of {@code user} has the end-to-end
 * identity {@code deviceIdentity} (the encoded {@code IdentityPublicKey}). The signed message also
 * commits to the SHA-256 of the account public key, so a certificate verifies under one account
 * key only. Immutable.
 *
 * <p>Encoding, version 1: {@code u8 1, u32 epoch, str8 user, u32 deviceId, bytes16 deviceIdentity,
 * AccountSignature}. Signed message: {@code "CrumbHub device certificate v1", u32 epoch,
 * bytes8 SHA-256(account public key), str8 user, u32 deviceId, bytes16 deviceIdentity}.
 */
public record DeviceCertificate(int epoch, String user, int deviceId, byte[] deviceIdentity, AccountSignature signature) {
    public static final int VERSION = 1;
    private static final byte[] LABEL = "CrumbHub device certificate v1".getBytes(StandardCharsets.US_ASCII);
    /** A device identity encoding is 129 bytes; the bound leaves room for a later version. */
    private static final int MAX_IDENTITY = 512;
    /** The largest encoding: what a wire field for it must hold. */
    public static final int MAX_ENCODED_LENGTH = 1 + 4 + 1 + 255 + 4 + 2 + MAX_IDENTITY + AccountSignature.MAX_ENCODED_LENGTH;

    /** The account {@code account} approves device {@code deviceId} of {@code user} with identity {@code deviceIdentity}. */
    public static DeviceCertificate issue(AccountKeyPair account, String user, int deviceId, byte[] deviceIdentity,
                                          SecureRandom rng) {
        byte[] message = message(account.publicKey(), account.epoch(), user, deviceId, deviceIdentity);
        return new DeviceCertificate(account.epoch(), user, deviceId, deviceIdentity.clone(), account.sign(message, rng));
    }

    /**
     * Whether this certificate is {@code account}'s approval of exactly device {@code deviceId}
     * of {@code user} with identity {@code deviceIdentity}: names, identity and epoch must match
     * and both signatures verify.
     */
    public boolean verifies(AccountPublicKey account, String user, int deviceId, byte[] deviceIdentity) {
        if (epoch != account.epoch() || !this.user.equals(user) || this.deviceId != deviceId
                || !MessageDigest.isEqual(this.deviceIdentity, deviceIdentity)) {
            return false;
        }
        return account.verify(message(account, epoch, user, deviceId, deviceIdentity), signature);
    }

    private static byte[] message(AccountPublicKey account, int epoch, String user, int deviceId, byte[] identity) {
        try {
            byte[] accountHash = MessageDigest.getInstance(Algorithms.SHA256).digest(account.encode());
            return BinaryWriter.growable(256).raw(LABEL).u32(epoch).bytes8(accountHash).str8(user).u32(deviceId)
                    .bytes16(identity).toByteArray();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public byte[] encode() {
        var out = BinaryWriter.growable(4_000).u8(VERSION).u32(epoch).str8(user).u32(deviceId).bytes16(deviceIdentity);
        signature.write(out);
        return out.toByteArray();
    }

    /** @throws CryptoException if it is malformed (whether it verifies is {@link #verifies}'s question) */
    public static DeviceCertificate decode(byte[] encoded) throws CryptoException {
        var in = BinaryReader.of(encoded, "device certificate", CryptoException::malformed);
        in.version(VERSION);
        int epoch = in.u32();
        String user = in.str8();
        int deviceId = in.u32();
        byte[] identity = in.bytes16(MAX_IDENTITY);
        var signature = AccountSignature.read(in);
        in.end();
        return new DeviceCertificate(epoch, user, deviceId, identity, signature);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceCertificate c && Arrays.equals(encode(), c.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(deviceIdentity) * 31 + deviceId;
    }

    @Override
    public String toString() {
        return "DeviceCertificate[" + user + "/" + Integer.toUnsignedString(deviceId) + ", epoch=" + epoch + "]";
    }
}
