package crumbhub.client.e2e;

import crumbhub.crypto.CryptoException;
import crumbhub.crypto.account.AccountKeyPair;
import crumbhub.crypto.account.AccountPublicKey;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;

import java.util.Arrays;
import java.util.Optional;

/**
 * This device's view of its own account identity (docs/crypto.md "Account identity"), record
 * {@code account}: the account's public key, the private key once this device holds it (an
 * approved device does), and this device's certificate (empty while it is pending).
 *
 * <p>Encoding, version 1: {@code u8 1, bytes16 accountPublic, u8 hasPrivate, [bytes32 private],
 * bytes16 certificate}. Secret (it may hold the private key).
 */
record AccountState(AccountPublicKey publicKey, Optional<byte[]> privateKey, byte[] certificate) {
    static final String RECORD = "account";
    private static final int VERSION = 1;
    private static final int MAX = 16_384;

    /** Whether an approved device of the account signed this device's certificate. */
    boolean approved() {
        return certificate.length > 0;
    }

    /** The account's key pair, if this device holds it; the caller closes it. */
    Optional<AccountKeyPair> keyPair() {
        if (privateKey.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(AccountKeyPair.decodePrivate(privateKey.get()));
        } catch (CryptoException e) {
            throw Malformed.damaged(RECORD, e);
        }
    }

    byte[] encode() {
        var out = BinaryWriter.growable(8_192).u8(VERSION).bytes16(publicKey.encode()).flag(privateKey.isPresent());
        privateKey.ifPresent(out::bytes32);
        return out.bytes16(certificate).toByteArray();
    }

    static AccountState decode(byte[] encoded) {
        try {
            var in = BinaryReader.of(encoded, "end-to-end record", Malformed::of);
            if (in.u8() != VERSION) {
                throw new Malformed("unknown version");
            }
            AccountPublicKey key = AccountPublicKey.decode(in.bytes16());
            Optional<byte[]> priv = in.flag() ? Optional.of(in.bytes32(MAX)) : Optional.empty();
            byte[] cert = in.bytes16();
            in.end();
            return new AccountState(key, priv, cert);
        } catch (Malformed | CryptoException e) {
            throw Malformed.damaged(RECORD, e);
        }
    }

    static Optional<AccountState> load(E2eStore.Tx tx) {
        return tx.get(RECORD).map(AccountState::decode);
    }

    @Override
    public String toString() {
        return "AccountState[" + publicKey + ", private=" + privateKey.isPresent() + ", approved=" + approved() + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccountState a && a.publicKey.equals(publicKey) && Arrays.equals(a.certificate, certificate);
    }

    @Override
    public int hashCode() {
        return publicKey.hashCode();
    }
}
