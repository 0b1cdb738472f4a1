package crumbhub.crypto.pqxdh;

import crumbhub.crypto.identity.IdentityKeys;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A test device: identity keys plus an in-memory prekey store (a fake of the client's key store). */
final class Device implements PreKeyLookup, AutoCloseable {
    final IdentityKeys identity;
    final SignedPreKeyPair signedPreKey;
    final KemPreKeyPair kemPreKey;
    final Map<Integer, OneTimePreKeyPair> oneTime = new HashMap<>();
    final Map<Integer, KemPreKeyPair> oneTimeKem = new HashMap<>();

    Device(SecureRandom rng, int oneTimeCount) {
        identity = IdentityKeys.generate(rng);
        signedPreKey = SignedPreKeyPair.generate(identity, 1, rng);
        kemPreKey = KemPreKeyPair.generate(identity, 7, rng);
        if (oneTimeCount > 0) {
            for (var k : OneTimePreKeyPair.generateBatch(100, oneTimeCount, rng)) {
                oneTime.put(k.id(), k);
            }
        }
    }

    /** Adds {@code count} signed one-time ML-KEM prekeys with ids 500, 501, … Returns this. */
    Device withOneTimeKem(SecureRandom rng, int count) {
        for (var k : KemPreKeyPair.generateOneTimeBatch(identity, 500, count, rng)) {
            oneTimeKem.put(k.id(), k);
        }
        return this;
    }

    /** A bundle as the server would hand it out: takes (but does not delete) the lowest one-time prekeys. */
    PreKeyBundle bundle() {
        var opk = oneTime.keySet().stream().sorted().findFirst().map(id -> oneTime.get(id).publicPart());
        var okpk = oneTimeKem.keySet().stream().sorted().findFirst().map(id -> oneTimeKem.get(id).publicPart());
        return new PreKeyBundle(identity.publicKey(), signedPreKey.publicPart(), kemPreKey.publicPart(), opk, okpk);
    }

    @Override
    public Optional<KemPreKeyPair> oneTimeKemPreKey(int id) {
        return Optional.ofNullable(oneTimeKem.get(id));
    }

    void deleteKem(int oneTimeKemId) {
        var k = oneTimeKem.remove(oneTimeKemId);
        if (k != null) {
            k.close();
        }
    }

    @Override
    public Optional<SignedPreKeyPair> signedPreKey(int id) {
        return id == signedPreKey.id() ? Optional.of(signedPreKey) : Optional.empty();
    }

    @Override
    public Optional<KemPreKeyPair> kemPreKey(int id) {
        return id == kemPreKey.id() ? Optional.of(kemPreKey) : Optional.empty();
    }

    @Override
    public Optional<OneTimePreKeyPair> oneTimePreKey(int id) {
        return Optional.ofNullable(oneTime.get(id));
    }

    void delete(int oneTimeId) {
        var k = oneTime.remove(oneTimeId);
        if (k != null) {
            k.close();
        }
    }

    List<Integer> oneTimeIds() {
        return oneTime.keySet().stream().sorted().toList();
    }

    @Override
    public void close() {
        identity.close();
        signedPreKey.close();
        kemPreKey.close();
        oneTime.values().forEach(OneTimePreKeyPair::close);
        oneTimeKem.values().forEach(KemPreKeyPair::close);
    }
}
