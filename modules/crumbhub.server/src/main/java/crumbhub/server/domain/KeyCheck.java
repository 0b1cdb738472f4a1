package crumbhub.server.domain;

import crumbhub.crypto.CryptoException;
import crumbhub.crypto.identity.IdentityPublicKey;
import crumbhub.crypto.pqxdh.KemPreKey;
import crumbhub.crypto.pqxdh.OneTimePreKey;
import crumbhub.crypto.pqxdh.SignedPreKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Checks a device's end-to-end key upload before the domain accepts it (protocol §6): the
 * identity decodes and its binding signature verifies, both prekey signatures verify against that
 * identity, and every one-time prekey decodes with an id of its own. This is the only place that
 * makes a {@link Verified}, so the domain never stores keys that were not checked.
 *
 * <p>Costs three Ed25519 verifications (about 2 ms): the network thread runs it before handing the
 * request to the core thread. Pure and thread-safe.
 */
public final class KeyCheck {
    private KeyCheck() {}

    /** Keys that passed {@link #verify}; public key material only. */
    public static final class Verified {
        private final byte[] identity;
        private final byte[] signedPreKey;
        private final byte[] kemPreKey;
        private final List<OneTimeKey> oneTimePreKeys;

        private Verified(byte[] identity, byte[] signedPreKey, byte[] kemPreKey, List<OneTimeKey> oneTimePreKeys) {
            this.identity = identity;
            this.signedPreKey = signedPreKey;
            this.kemPreKey = kemPreKey;
            this.oneTimePreKeys = List.copyOf(oneTimePreKeys);
        }

        byte[] identity() { return identity; }
        byte[] signedPreKey() { return signedPreKey; }
        byte[] kemPreKey() { return kemPreKey; }
        List<OneTimeKey> oneTimePreKeys() { return oneTimePreKeys; }

        @Override
        public String toString() {
            return "KeyCheck.Verified[oneTime=" + oneTimePreKeys.size() + "]";
        }
    }

    /** @throws Rejected {@link Reason#INVALID_KEY} naming the first key that does not check out */
    public static Verified verify(byte[] identity, byte[] signedPreKey, byte[] kemPreKey, List<byte[]> oneTimePreKeys)
            throws Rejected {
        IdentityPublicKey id;
        try {
            id = IdentityPublicKey.decode(identity);
        } catch (CryptoException e) {
            throw new Rejected(Reason.INVALID_KEY, "the identity key is malformed or its binding does not verify");
        }
        try {
            if (!SignedPreKey.decode(signedPreKey).verify(id)) {
                throw new Rejected(Reason.INVALID_KEY, "the signed prekey's signature does not verify");
            }
        } catch (CryptoException e) {
            throw new Rejected(Reason.INVALID_KEY, "the signed prekey is malformed");
        }
        try {
            if (!KemPreKey.decode(kemPreKey).verify(id)) {
                throw new Rejected(Reason.INVALID_KEY, "the KEM prekey's signature does not verify");
            }
        } catch (CryptoException e) {
            throw new Rejected(Reason.INVALID_KEY, "the KEM prekey is malformed");
        }
        var keys = new ArrayList<OneTimeKey>(oneTimePreKeys.size());
        var ids = new HashSet<Integer>();
        for (byte[] encoded : oneTimePreKeys) {
            OneTimePreKey k;
            try {
                k = OneTimePreKey.decode(encoded);
            } catch (CryptoException e) {
                throw new Rejected(Reason.INVALID_KEY, "a one-time prekey is malformed");
            }
            if (!ids.add(k.id())) {
                throw new Rejected(Reason.INVALID_KEY, "one-time prekey id " + k.id() + " appears twice");
            }
            keys.add(new OneTimeKey(k.id(), encoded.clone()));
        }
        return new Verified(identity.clone(), signedPreKey.clone(), kemPreKey.clone(), keys);
    }

    /** One-time ML-KEM prekeys that passed {@link #verifyKem}, and the identity that signed them. */
    public record VerifiedKem(byte[] identity, List<OneTimeKey> oneTimeKemPreKeys) {
        public VerifiedKem {
            oneTimeKemPreKeys = List.copyOf(oneTimeKemPreKeys);
        }

        @Override
        public String toString() {
            return "KeyCheck.VerifiedKem[keys=" + oneTimeKemPreKeys.size() + "]";
        }
    }

    /**
     * Checks a KEM_PREKEYS_PUBLISH (protocol §6): each key decodes, carries a one-time signature by
     * {@code identity}, and has an id of its own. The domain then checks that {@code identity} is
     * the one the device published. Costs one Ed25519 verification per key (up to 40, ~25 ms):
     * the network thread runs it.
     *
     * @throws Rejected {@link Reason#INVALID_KEY} naming the first key that does not check out
     */
    public static VerifiedKem verifyKem(byte[] identity, List<byte[]> oneTimeKemPreKeys) throws Rejected {
        IdentityPublicKey id;
        try {
            id = IdentityPublicKey.decode(identity);
        } catch (CryptoException e) {
            throw new Rejected(Reason.INVALID_KEY, "the identity key is malformed or its binding does not verify");
        }
        var keys = new ArrayList<OneTimeKey>(oneTimeKemPreKeys.size());
        var ids = new HashSet<Integer>();
        for (byte[] encoded : oneTimeKemPreKeys) {
            KemPreKey k;
            try {
                k = KemPreKey.decode(encoded);
            } catch (CryptoException e) {
                throw new Rejected(Reason.INVALID_KEY, "a one-time KEM prekey is malformed");
            }
            if (!k.verifyOneTime(id)) {
                throw new Rejected(Reason.INVALID_KEY, "the one-time KEM prekey " + k.id() + "'s signature does not verify");
            }
            if (!ids.add(k.id())) {
                throw new Rejected(Reason.INVALID_KEY, "one-time KEM prekey id " + k.id() + " appears twice");
            }
            keys.add(new OneTimeKey(k.id(), encoded.clone()));
        }
        return new VerifiedKem(identity.clone(), keys);
    }
}
