package crumbhub.crypto.group;

import crumbhub.crypto.CryptoException;
import crumbhub.crypto.e2ee.ChainKdf;
import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import crumbhub.crypto.identity.Ed25519KeyPair;
import java.util.Arrays;

/**
 * A sender's chain for one room as handed to a member device: room, chain id, the iteration the
 * chain key is at, the chain key, and the chain's Ed25519 public key. Secret (whoever holds it
 * reads the sender's messages from {@code iteration} on): send it only inside a pairwise Double
 * Ratchet session, whose authenticated peer is the sender the receiver binds it to.
 * Immutable; arrays are copied.
 *
 * <p>Encoding, version 1: {@code u8 1, str8 roomId, u32 chainId, u32 iteration, chainKey[32],
 * signingKey[32]}.
 */
public record SenderKeyDistribution(String roomId, int chainId, int iteration, byte[] chainKey, byte[] signingKey) {
    public static final int VERSION = 1;

    public SenderKeyDistribution {
        Ids.require(roomId, "room id");
        if (chainId < 0 || iteration < 0) {
            throw new IllegalArgumentException("chain id and iteration are non-negative");
        }
        if (chainKey.length != ChainKdf.KEY_LENGTH || signingKey.length != Ed25519KeyPair.PUBLIC_KEY_LENGTH) {
            throw new IllegalArgumentException("chain key and signing key must be 32 bytes");
        }
        chainKey = chainKey.clone();
        signingKey = signingKey.clone();
    }

    @Override
    public byte[] chainKey() {
        return chainKey.clone();
    }

    @Override
    public byte[] signingKey() {
        return signingKey.clone();
    }

    /** The encoding; it holds the chain key, so the caller zeroes it after sealing it in a pairwise message. */
    public byte[] encode() {
        return BinaryWriter.growable(80 + roomId.length()).u8(VERSION).str8(roomId).u31(chainId).u31(iteration)
                .fixed(chainKey, ChainKdf.KEY_LENGTH).fixed(signingKey, Ed25519KeyPair.PUBLIC_KEY_LENGTH).toByteArray();
    }

    /** @throws CryptoException if malformed or of another version */
    public static SenderKeyDistribution decode(byte[] encoded) throws CryptoException {
        var in = BinaryReader.of(encoded, "sender key distribution", CryptoException::malformed);
        in.version(VERSION);
        var room = in.str8(Ids.MAX_BYTES);
        if (room.isEmpty()) {
            throw in.malformed("empty room id");
        }
        int chainId = in.u31();
        int iteration = in.u31();
        var chainKey = in.fixed(ChainKdf.KEY_LENGTH);
        var signingKey = in.fixed(Ed25519KeyPair.PUBLIC_KEY_LENGTH);
        in.end();
        return new SenderKeyDistribution(room, chainId, iteration, chainKey, signingKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SenderKeyDistribution other && roomId.equals(other.roomId) && chainId == other.chainId
                && iteration == other.iteration && Arrays.equals(chainKey, other.chainKey) && Arrays.equals(signingKey, other.signingKey);
    }

    @Override
    public int hashCode() {
        return 31 * roomId.hashCode() + chainId;
    }

    @Override
    public String toString() {
        return "SenderKeyDistribution[room=" + roomId + ", chainId=" + chainId + ", iteration=" + iteration + ", chainKey=<redacted>]";
    }
}
