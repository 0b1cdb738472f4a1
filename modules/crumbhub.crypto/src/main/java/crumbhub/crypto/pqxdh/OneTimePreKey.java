package crumbhub.crypto.pqxdh;

import crumbhub.crypto.CryptoException;
import crumbhub.crypto.X25519KeyPair;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import java.util.Arrays;

/**
 * The public half of a one-time X25519 prekey (unsigned, as in PQXDH section 3.2). The server hands
 * each out at most once. Immutable; the array is copied in and out.
 *
 * <p>Encoding, version 1 (37 bytes): {@code u8 1, u32 id, key[32]}.
 */
public record OneTimePreKey(int id, byte[] publicKey) {
    public static final int VERSION = 1;
    static final int ENCODED_LENGTH = 1 + 4 + X25519KeyPair.KEY_LENGTH;

    public OneTimePreKey {
        PreKeys.requireId(id);
        if (publicKey.length != X25519KeyPair.KEY_LENGTH) {
            throw new IllegalArgumentException("one-time prekey needs a 32-byte key");
        }
        publicKey = publicKey.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    public byte[] encode() {
        var out = BinaryWriter.growable(ENCODED_LENGTH);
        write(out);
        return out.toByteArray();
    }

    /** @throws CryptoException if malformed */
    public static OneTimePreKey decode(byte[] encoded) throws CryptoException {
        var in = BinaryReader.of(encoded, "one-time prekey", CryptoException::malformed);
        var key = read(in);
        in.end();
        return key;
    }

    void write(BinaryWriter out) {
        out.u8(VERSION).u31(id).fixed(publicKey, X25519KeyPair.KEY_LENGTH);
    }

    static OneTimePreKey read(BinaryReader<CryptoException> in) throws CryptoException {
        in.version(VERSION);
        return new OneTimePreKey(in.u31(), in.fixed(X25519KeyPair.KEY_LENGTH));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OneTimePreKey other && id == other.id && Arrays.equals(publicKey, other.publicKey);
    }

    @Override
    public int hashCode() {
        return 31 * id + Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return "OneTimePreKey[id=" + id + "]";
    }
}
