package crumbhub.crypto.pqxdh;

import crumbhub.crypto.Bytes;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.Hkdf;
import crumbhub.crypto.X25519KeyPair;
import crumbhub.crypto.identity.IdentityKeys;
import crumbhub.crypto.identity.IdentityPublicKey;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The PQXDH computations (spec section 3.3 for the initiator, 3.4 for the responder). Stateless:
 * nothing here stores or deletes keys; the results say what the caller must keep or delete.
 *
 * <p>{@code SK = HKDF-SHA256(salt = 32 zero bytes, ikm = F || DH1 || DH2 || DH3 [|| DH4] || SS,
 * info = INFO, L = 32)}, with {@code F} 32 bytes of 0xFF (section 2.2, for X25519), where
 * DH1 = DH(IK_A, SPK_B), DH2 = DH(EK_A, IK_B), DH3 = DH(EK_A, SPK_B), DH4 = DH(EK_A, OPK_B),
 * SS = ML-KEM shared secret for PQPK_B, Bob's one-time pqkem prekey when the bundle has one, else
 * his last-resort pqkem prekey (section 3.3). {@code AD = Encode(IK_A) || Encode(IK_B)} using the full
 * identity encodings (signing key, X25519 key, binding).
 */
public final class Pqxdh {
    public static final String INFO = "CrumbHub_PQXDH_25519_SHA-256_ML-KEM-768";
    public static final int SHARED_KEY_LENGTH = 32;
    private static final byte[] INFO_BYTES = INFO.getBytes(StandardCharsets.US_ASCII);
    private static final int F_LENGTH = 32;

    private Pqxdh() {}

    /**
     * The initiator's result: {@code sharedKey} (SK) and {@code associatedData} (AD) for the Double
     * Ratchet, the message to send, and the responder's signed prekey, which is the ratchet's first
     * remote key. {@link #close()} zeroes SK.
     */
    public record Initiation(byte[] sharedKey, byte[] associatedData, InitialMessage message, byte[] remoteRatchetKey)
            implements AutoCloseable {
        @Override
        public void close() {
            Bytes.zero(sharedKey);
        }

        @Override
        public String toString() {
            return "Initiation[" + message + ", sharedKey=<redacted>]";
        }
    }

    /**
     * The responder's result: SK and AD, the initiator's identity (to pin or compare with the pinned
     * one), the key pair of the signed prekey used (the ratchet's first own key; this object's own
     * copy), and the one-time prekeys consumed (X25519 and ML-KEM). The caller deletes them once
     * the first ratchet message has decrypted, so a forged initial message cannot burn them, and
     * a replayed one finds them gone. {@code baseKey} is the initiator's ephemeral key, which names the
     * session on both sides. {@link #close()} zeroes SK and the key pair copy.
     */
    public record Response(byte[] sharedKey, byte[] associatedData, IdentityPublicKey initiator,
                           X25519KeyPair ratchetKeyPair, OptionalInt consumedOneTimePreKey,
                           OptionalInt consumedOneTimeKemPreKey, byte[] baseKey)
            implements AutoCloseable {
        @Override
        public void close() {
            Bytes.zero(sharedKey);
            ratchetKeyPair.close();
        }

        @Override
        public String toString() {
            return "Response[initiator=" + initiator + ", consumedOneTimePreKey=" + consumedOneTimePreKey
                    + ", consumedOneTimeKemPreKey=" + consumedOneTimeKemPreKey + ", sharedKey=<redacted>]";
        }
    }

    /**
     * Section 3.3: verifies the bundle, draws the ephemeral key and then the KEM message from
     * {@code rng}, and derives SK and AD.
     *
     * @throws CryptoException if a prekey signature does not verify, the KEM key is invalid, or a
     *     bundle key is a low-order X25519 point
     */
    public static Initiation initiate(IdentityKeys self, PreKeyBundle bundle, SecureRandom rng) throws CryptoException {
        Objects.requireNonNull(self, "self");
        bundle.verify();
        var responder = bundle.identity();
        var spk = bundle.signedPreKey().publicKey();
        var pqpk = bundle.oneTimeKemPreKey().orElse(bundle.kemPreKey());
        byte[] dh1 = null;
        byte[] dh2 = null;
        byte[] dh3 = null;
        byte[] dh4 = null;
        MlKemKeyPair.Encapsulation kem = null;
        try (var ephemeral = X25519KeyPair.generate(rng)) {
            kem = MlKemKeyPair.encapsulate(pqpk.publicKeyUnsafe(), rng);
            dh1 = self.dh(spk);
            dh2 = ephemeral.dh(responder.dhKey());
            dh3 = ephemeral.dh(spk);
            if (bundle.oneTimePreKey().isPresent()) {
                dh4 = ephemeral.dh(bundle.oneTimePreKey().get().publicKey());
            }
            var sk = kdf(dh1, dh2, dh3, dh4, kem.sharedSecret());
            var ad = Bytes.concat(self.publicKey().encode(), responder.encode());
            var opkId = bundle.oneTimePreKey().map(k -> OptionalInt.of(k.id())).orElse(OptionalInt.empty());
            var message = new InitialMessage(self.publicKey(), bundle.signedPreKey().id(), pqpk.id(),
                    bundle.oneTimeKemPreKey().isPresent(), opkId,
                    ephemeral.publicKey(), kem.ciphertext());
            return new Initiation(sk, ad, message, spk);
        } finally {
            Bytes.zero(dh1, dh2, dh3, dh4);
            if (kem != null) {
                Bytes.zero(kem.sharedSecret());
            }
        }
    }

    /**
     * Section 3.4: finds the prekeys the message names, repeats the initiator's computation and
     * derives SK and AD. Changes nothing; see {@link Response} for what the caller deletes.
     *
     * @throws CryptoException if a named prekey is unknown (a one-time prekey, X25519 or ML-KEM, also
     *     when already used), the ephemeral key is a low-order point, or the KEM ciphertext is rejected
     */
    public static Response respond(IdentityKeys self, PreKeyLookup prekeys, InitialMessage message) throws CryptoException {
        var spk = prekeys.signedPreKey(message.signedPreKeyId())
                .orElseThrow(() -> new CryptoException("PQXDH: unknown signed prekey " + message.signedPreKeyId()));
        var kpk = (message.oneTimeKem() ? prekeys.oneTimeKemPreKey(message.kemPreKeyId()) : prekeys.kemPreKey(message.kemPreKeyId()))
                .orElseThrow(() -> new CryptoException(message.oneTimeKem()
                        ? "PQXDH: one-time KEM prekey " + message.kemPreKeyId() + " unknown or already used"
                        : "PQXDH: unknown KEM prekey " + message.kemPreKeyId()));
        OneTimePreKeyPair opk = null;
        if (message.oneTimePreKeyId().isPresent()) {
            int id = message.oneTimePreKeyId().getAsInt();
            opk = prekeys.oneTimePreKey(id)
                    .orElseThrow(() -> new CryptoException("PQXDH: one-time prekey " + id + " unknown or already used"));
        }
        var initiator = message.initiator();
        var ephemeral = message.ephemeralKeyUnsafe();
        byte[] dh1 = null;
        byte[] dh2 = null;
        byte[] dh3 = null;
        byte[] dh4 = null;
        byte[] ss = null;
        try {
            ss = kpk.decapsulate(message.kemCiphertextUnsafe());
            dh1 = spk.dh(initiator.dhKey());
            dh2 = self.dh(ephemeral);
            dh3 = spk.dh(ephemeral);
            if (opk != null) {
                dh4 = opk.dh(ephemeral);
            }
            var sk = kdf(dh1, dh2, dh3, dh4, ss);
            var ad = Bytes.concat(initiator.encode(), self.publicKey().encode());
            var consumedKem = message.oneTimeKem() ? OptionalInt.of(message.kemPreKeyId()) : OptionalInt.empty();
            return new Response(sk, ad, initiator, spk.copyKeyPair(), message.oneTimePreKeyId(), consumedKem,
                    message.ephemeralKey());
        } finally {
            Bytes.zero(dh1, dh2, dh3, dh4, ss);
        }
    }

    private static byte[] kdf(byte[] dh1, byte[] dh2, byte[] dh3, byte[] dh4, byte[] ss) {
        var f = new byte[F_LENGTH];
        Arrays.fill(f, (byte) 0xff);
        var ikm = dh4 == null ? Bytes.concat(f, dh1, dh2, dh3, ss) : Bytes.concat(f, dh1, dh2, dh3, dh4, ss);
        try {
            return Hkdf.derive(new byte[Hkdf.HASH_LENGTH], ikm, INFO_BYTES, SHARED_KEY_LENGTH);
        } finally {
            Bytes.zero(ikm);
        }
    }
}
