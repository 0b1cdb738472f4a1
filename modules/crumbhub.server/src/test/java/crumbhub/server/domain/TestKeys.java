package crumbhub.server.domain;

import crumbhub.crypto.identity.IdentityKeys;
import crumbhub.crypto.pqxdh.KemPreKeyPair;
import crumbhub.crypto.pqxdh.OneTimePreKeyPair;
import crumbhub.crypto.pqxdh.SignedPreKeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/** A device's real end-to-end keys (crumbhub.crypto), for uploads in domain and core tests. */
final class TestKeys {
    final IdentityKeys identity;
    final SignedPreKeyPair signedPreKey;
    final KemPreKeyPair kemPreKey;
    private final SecureRandom rng;

    TestKeys(SecureRandom rng) {
        this.rng = rng;
        this.identity = IdentityKeys.generate(rng);
        this.signedPreKey = SignedPreKeyPair.generate(identity, 1, rng);
        this.kemPreKey = KemPreKeyPair.generate(identity, 1, rng);
    }

    byte[] identityBytes() {
        return identity.publicKey().encode();
    }

    List<byte[]> oneTime(int firstId, int count) {
        var out = new ArrayList<byte[]>();
        if (count > 0) {
            for (OneTimePreKeyPair k : OneTimePreKeyPair.generateBatch(firstId, count, rng)) {
                out.add(k.publicPart().encode());
            }
        }
        return out;
    }

    /** Signed one-time ML-KEM prekeys {@code firstId..firstId+count-1}, checked as the server checks a KEM_PREKEYS_PUBLISH. */
    KeyCheck.VerifiedKem kemUpload(int firstId, int count) {
        var keys = new ArrayList<byte[]>();
        for (KemPreKeyPair k : KemPreKeyPair.generateOneTimeBatch(identity, firstId, count, rng)) {
            keys.add(k.publicPart().encode());
            k.close();
        }
        try {
            return KeyCheck.verifyKem(identityBytes(), keys);
        } catch (Rejected e) {
            throw new AssertionError(e);
        }
    }

    /** The keys checked as the server checks an upload, with one-time prekeys {@code firstId..firstId+count-1}. */
    KeyCheck.Verified upload(int firstId, int count) {
        try {
            return KeyCheck.verify(identityBytes(), signedPreKey.publicPart().encode(), kemPreKey.publicPart().encode(),
                    oneTime(firstId, count));
        } catch (Rejected e) {
            throw new AssertionError(e);
        }
    }
}
