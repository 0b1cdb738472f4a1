package crumbhub.crypto.ratchet;

import crumbhub.crypto.FixedRandom;
import crumbhub.crypto.identity.IdentityKeys;
import crumbhub.crypto.pqxdh.InitialMessage;
import crumbhub.crypto.pqxdh.KemPreKeyPair;
import crumbhub.crypto.pqxdh.OneTimePreKeyPair;
import crumbhub.crypto.pqxdh.Pqxdh;
import crumbhub.crypto.pqxdh.PreKeyBundle;
import crumbhub.crypto.pqxdh.PreKeyLookup;
import crumbhub.crypto.pqxdh.SignedPreKeyPair;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;

/** Alice and Bob with sessions set up through PQXDH, as the client will do it. */
final class Conversation implements AutoCloseable {
    final SecureRandom rng;
    final RatchetSession alice;
    final RatchetSession bob;
    final byte[] initialMessage;

    Conversation(long seed) throws Exception {
        this(seed, false);
    }

    /** With {@code tamperKemCiphertext}, one bit of the ML-KEM ciphertext flips on the way to Bob. */
    Conversation(long seed, boolean tamperKemCiphertext) throws Exception {
        rng = new FixedRandom(seed);
        try (var aliceId = IdentityKeys.generate(rng); var bobId = IdentityKeys.generate(rng);
             var spk = SignedPreKeyPair.generate(bobId, 1, rng); var kpk = KemPreKeyPair.generate(bobId, 2, rng);
             var opk = OneTimePreKeyPair.generate(3, rng)) {
            var bundle = new PreKeyBundle(bobId.publicKey(), spk.publicPart(), kpk.publicPart(), Optional.of(opk.publicPart()));
            try (var init = Pqxdh.initiate(aliceId, bundle, rng)) {
                alice = RatchetSession.initiator(init, rng);
            }
            initialMessage = alice.pendingInitialMessage().orElseThrow();
            var lookup = new PreKeyLookup() {
                @Override
                public Optional<SignedPreKeyPair> signedPreKey(int id) {
                    return Optional.of(spk);
                }

                @Override
                public Optional<KemPreKeyPair> kemPreKey(int id) {
                    return Optional.of(kpk);
                }

                @Override
                public Optional<OneTimePreKeyPair> oneTimePreKey(int id) {
                    return Optional.of(opk);
                }
            };
            var received = initialMessage.clone();
            if (tamperKemCiphertext) {
                received[received.length - 100] ^= 1;
            }
            try (var resp = Pqxdh.respond(bobId, lookup, InitialMessage.decode(received))) {
                bob = RatchetSession.responder(resp);
            }
        }
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        alice.close();
        bob.close();
    }
}
