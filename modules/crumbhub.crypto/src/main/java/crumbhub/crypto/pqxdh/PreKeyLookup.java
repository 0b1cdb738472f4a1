package crumbhub.crypto.pqxdh;

import java.util.Optional;

/**
 * How {@link Pqxdh#respond} finds the responder's private prekeys named by an initial message.
 * Implemented by the client's key store; called on the caller's thread, must not block on I/O
 * longer than the caller accepts. Returned objects stay owned by the store (not closed by PQXDH).
 */
public interface PreKeyLookup {
    Optional<SignedPreKeyPair> signedPreKey(int id);

    Optional<KemPreKeyPair> kemPreKey(int id);

    /** Empty if the id is unknown or the key was already used (and deleted). */
    Optional<OneTimePreKeyPair> oneTimePreKey(int id);

    /**
     * The one-time ML-KEM prekey {@code id}; empty if unknown or already used (and deleted). A
     * store without one-time ML-KEM prekeys keeps the default.
     */
    default Optional<KemPreKeyPair> oneTimeKemPreKey(int id) {
        return Optional.empty();
    }
}
