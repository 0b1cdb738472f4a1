package crumbhub.crypto.pqxdh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.crypto.Bytes;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.FixedRandom;
import crumbhub.crypto.identity.IdentityKeys;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class PqxdhTest {
    @Test
    void bothSidesDeriveTheSameKeyAndAssociatedDataWithAOneTimePreKey() throws Exception {
        var rng = new FixedRandom(1);
        try (var alice = IdentityKeys.generate(rng); var bob = new Device(rng, 3)) {
            var bundle = bob.bundle();
            try (var init = Pqxdh.initiate(alice, bundle, rng);
                 var resp = Pqxdh.respond(bob.identity, bob, InitialMessage.decode(init.message().encode()))) {
                assertThat(init.sharedKey()).hasSize(32).isEqualTo(resp.sharedKey());
                assertThat(init.associatedData()).isEqualTo(resp.associatedData())
                        .isEqualTo(Bytes.concat(alice.publicKey().encode(), bob.identity.publicKey().encode()));
                assertThat(resp.initiator()).isEqualTo(alice.publicKey());
                assertThat(resp.consumedOneTimePreKey()).isEqualTo(OptionalInt.of(100));
                assertThat(init.message().oneTimePreKeyId()).isEqualTo(OptionalInt.of(100));
                assertThat(init.remoteRatchetKey()).isEqualTo(bob.signedPreKey.publicPart().publicKey());
                assertThat(resp.ratchetKeyPair().publicKey()).isEqualTo(init.remoteRatchetKey());
            }
        }
    }

    @Test
    void bothSidesAgreeWithoutAOneTimePreKeyAndNothingIsConsumed() throws Exception {
        var rng = new FixedRandom(2);
        try (var alice = IdentityKeys.generate(rng); var bob = new Device(rng, 0)) {
            var bundle = bob.bundle();
            assertThat(bundle.oneTimePreKey()).isEmpty();
            try (var init = Pqxdh.initiate(alice, bundle, rng); var resp = Pqxdh.respond(bob.identity, bob, init.message())) {
                assertThat(init.sharedKey()).isEqualTo(resp.sharedKey());
                assertThat(resp.consumedOneTimePreKey()).isEmpty();
            }
        }
    }

    @Test
    void oneTimePreKeyChangesTheSharedKey() throws Exception {
        try (var alice = IdentityKeys.generate(new FixedRandom(3)); var bob = new Device(new FixedRandom(4), 1)) {
            var with = bob.bundle();
            var without = new PreKeyBundle(with.identity(), with.signedPreKey(), with.kemPreKey(), Optional.empty());
            try (var a = Pqxdh.initiate(alice, with, new FixedRandom(5)); var b = Pqxdh.initiate(alice, without, new FixedRandom(5))) {
                assertThat(a.sharedKey()).isNotEqualTo(b.sharedKey());
            }
        }
    }

    @Test
    void replayedInitialMessageIsRejectedOnceItsOneTimePreKeyIsDeleted() throws Exception {
        var rng = new FixedRandom(6);
        try (var alice = IdentityKeys.generate(rng); var bob = new Device(rng, 2)) {
            var init = Pqxdh.initiate(alice, bob.bundle(), rng);
            try (var resp = Pqxdh.respond(bob.identity, bob, init.message())) {
                bob.delete(resp.consumedOneTimePreKey().getAsInt());
            }
            assertThat(bob.oneTimeIds()).containsExactly(101);
            assertThatThrownBy(() -> Pqxdh.respond(bob.identity, bob, init.message()))
                    .isInstanceOf(CryptoException.class).hasMessageContaining("already used");
        }
    }

    @Test
    void badSignedPreKeySignatureIsRejected() throws Exception {
        var rng = new FixedRandom(7);
        try (var alice = IdentityKeys.generate(rng); var bob = new Device(rng, 1)) {
            var good = bob.bundle();
            var sig = good.signedPreKey().signature();
            sig[0] ^= 1;
            var forged = new PreKeyBundle(good.identity(), new SignedPreKey(good.signedPreKey().id(), good.signedPreKey().publicKey(), sig),
                    good.kemPreKey(), good.oneTimePreKey());
            assertThatThrownBy(() -> Pqxdh.initiate(alice, forged, rng)).isInstanceOf(CryptoException.class).hasMessageContaining("signed prekey");
        }
    }

    @Test
    void kemPreKeySignedByAnotherIdentityIsRejected() throws Exception {
        var rng = new FixedRandom(8);
        try (var alice = IdentityKeys.generate(rng); var bob = new Device(rng, 1); var mallory = new Device(rng, 0)) {
            var good = bob.bundle();
            var swapped = new PreKeyBundle(good.identity(), good.signedPreKey(), mallory.kemPreKey.publicPart(), good.oneTimePreKey());
            assertThatThrownBy(() -> Pqxdh.initiate(alice, swapped, rng)).isInstanceOf(CryptoException.class).hasMessageContaining("KEM prekey");
            var changedId = new PreKeyBundle(good.identity(), new SignedPreKey(2, good.signedPreKey().publicKey(), good.signedPreKey().signature()),
                    good.kemPreKey(), good.oneTimePreKey());
            assertThatThrownBy(changedId::verify).isInstanceOf(CryptoException.class);
        }
    }

    @Test
    void kemCiphertextOfTheWrongLengthIsRejected() throws Exception {
        var rng = new FixedRandom(9);
        try (var alice = IdentityKeys.generate(rng); var bob = new Device(rng, 1)) {
            var encoded = Pqxdh.initiate(alice, bob.bundle(), rng).message().encode();
            assertThatThrownBy(() -> InitialMessage.decode(java.util.Arrays.copyOf(encoded, encoded.length - 1)))
                    .isInstanceOf(CryptoException.class).hasMessageContaining("ciphertext");
            assertThatThrownBy(() -> InitialMessage.decode(Bytes.concat(encoded, new byte[1])))
                    .isInstanceOf(CryptoException.class).hasMessageContaining("ciphertext");
            assertThatThrownBy(() -> bob.kemPreKey.decapsulate(new byte[1087])).isInstanceOf(CryptoException.class);
        }
    }

    @Test
    void tamperedKemCiphertextOrEphemeralKeyGivesADifferentKey() throws Exception {
        var rng = new FixedRandom(10);
        try (var alice = IdentityKeys.generate(rng); var bob = new Device(rng, 2)) {
            var init = Pqxdh.initiate(alice, bob.bundle(), rng);
            var m = init.message();
            var ct = m.kemCiphertext();
            ct[500] ^= 1;
            var badCt = new InitialMessage(m.initiator(), m.signedPreKeyId(), m.kemPreKeyId(), m.oneTimePreKeyId(), m.ephemeralKey(), ct);
            try (var resp = Pqxdh.respond(bob.identity, bob, badCt)) {
                // ML-KEM's implicit rejection: no error, but an unrelated secret the first ratchet message fails on.
                assertThat(resp.sharedKey()).isNotEqualTo(init.sharedKey());
            }
            var ek = m.ephemeralKey();
            ek[3] ^= 1;
            var badEk = new InitialMessage(m.initiator(), m.signedPreKeyId(), m.kemPreKeyId(), m.oneTimePreKeyId(), ek, m.kemCiphertext());
            try (var resp = Pqxdh.respond(bob.identity, bob, badEk)) {
                assertThat(resp.sharedKey()).isNotEqualTo(init.sharedKey());
            }
        }
    }

    @Test
    void lowOrderEphemeralKeyIsRejected() throws Exception {
        var rng = new FixedRandom(11);
        try (var alice = IdentityKeys.generate(rng); var bob = new Device(rng, 0)) {
            var m = Pqxdh.initiate(alice, bob.bundle(), rng).message();
            var zero = new InitialMessage(m.initiator(), m.signedPreKeyId(), m.kemPreKeyId(), m.oneTimePreKeyId(), new byte[32], m.kemCiphertext());
            assertThatThrownBy(() -> Pqxdh.respond(bob.identity, bob, zero)).isInstanceOf(CryptoException.class);
        }
    }

    @Test
    void unknownSignedOrKemPreKeyIsRejected() throws Exception {
        var rng = new FixedRandom(12);
        try (var alice = IdentityKeys.generate(rng); var bob = new Device(rng, 0)) {
            var m = Pqxdh.initiate(alice, bob.bundle(), rng).message();
            var wrongSpk = new InitialMessage(m.initiator(), 99, m.kemPreKeyId(), m.oneTimePreKeyId(), m.ephemeralKey(), m.kemCiphertext());
            assertThatThrownBy(() -> Pqxdh.respond(bob.identity, bob, wrongSpk)).isInstanceOf(CryptoException.class).hasMessageContaining("signed prekey 99");
            var wrongKpk = new InitialMessage(m.initiator(), m.signedPreKeyId(), 99, m.oneTimePreKeyId(), m.ephemeralKey(), m.kemCiphertext());
            assertThatThrownBy(() -> Pqxdh.respond(bob.identity, bob, wrongKpk)).isInstanceOf(CryptoException.class).hasMessageContaining("KEM prekey 99");
        }
    }

    @Test
    void initiationIsDeterministicUnderASeededRng() throws Exception {
        try (var alice = IdentityKeys.generate(new FixedRandom(13)); var bob = new Device(new FixedRandom(14), 1)) {
            try (var a = Pqxdh.initiate(alice, bob.bundle(), new FixedRandom(15)); var b = Pqxdh.initiate(alice, bob.bundle(), new FixedRandom(15))) {
                assertThat(a.message().encode()).isEqualTo(b.message().encode());
                assertThat(a.sharedKey()).isEqualTo(b.sharedKey());
            }
        }
    }

    @Test
    void bundleAndMessageEncodingsRoundTripAndRejectGarbage() throws Exception {
        var rng = new FixedRandom(16);
        try (var alice = IdentityKeys.generate(rng); var bob = new Device(rng, 1)) {
            var bundle = bob.bundle();
            var encoded = bundle.encode();
            assertThat(encoded).hasSize(1522);
            assertThat(PreKeyBundle.decode(encoded)).isEqualTo(bundle);
            assertThatThrownBy(() -> PreKeyBundle.decode(java.util.Arrays.copyOf(encoded, encoded.length - 1))).isInstanceOf(CryptoException.class);
            assertThatThrownBy(() -> PreKeyBundle.decode(Bytes.concat(encoded, new byte[1]))).isInstanceOf(CryptoException.class);
            var noOpk = new PreKeyBundle(bundle.identity(), bundle.signedPreKey(), bundle.kemPreKey(), Optional.empty());
            assertThat(PreKeyBundle.decode(noOpk.encode())).isEqualTo(noOpk);
            var message = Pqxdh.initiate(alice, bundle, rng).message();
            assertThat(message.encode()).hasSize(1263);
            assertThat(noOpk.encode()).hasSize(1485);
            assertThat(InitialMessage.decode(message.encode())).isEqualTo(message);
            assertThat(SignedPreKey.decode(bundle.signedPreKey().encode())).isEqualTo(bundle.signedPreKey());
            assertThat(KemPreKey.decode(bundle.kemPreKey().encode())).isEqualTo(bundle.kemPreKey());
            assertThat(OneTimePreKey.decode(bundle.oneTimePreKey().orElseThrow().encode())).isEqualTo(bundle.oneTimePreKey().orElseThrow());
            var badVersion = bundle.encode();
            badVersion[0] = 9;
            assertThatThrownBy(() -> PreKeyBundle.decode(badVersion)).isInstanceOf(CryptoException.class).hasMessageContaining("version");
        }
    }

    @Test
    void privatePreKeyEncodingsRoundTrip() throws Exception {
        var rng = new FixedRandom(17);
        try (var alice = IdentityKeys.generate(rng); var bob = new Device(rng, 1)) {
            var init = Pqxdh.initiate(alice, bob.bundle(), rng);
            try (var spk = SignedPreKeyPair.decodePrivate(bob.signedPreKey.encodePrivate());
                 var kpk = KemPreKeyPair.decodePrivate(bob.kemPreKey.encodePrivate());
                 var opk = OneTimePreKeyPair.decodePrivate(bob.oneTime.get(100).encodePrivate())) {
                assertThat(spk.publicPart()).isEqualTo(bob.signedPreKey.publicPart());
                assertThat(kpk.publicPart()).isEqualTo(bob.kemPreKey.publicPart());
                assertThat(opk.publicPart()).isEqualTo(bob.oneTime.get(100).publicPart());
                PreKeyLookup restored = new PreKeyLookup() {
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
                try (var resp = Pqxdh.respond(bob.identity, restored, init.message())) {
                    assertThat(resp.sharedKey()).isEqualTo(init.sharedKey());
                }
                assertThat(spk.toString() + kpk + opk + init + init.message()).doesNotContain(Bytes.hex(init.sharedKey()));
            }
        }
    }

    @Test
    void oneTimeBatchIsBounded() {
        assertThatThrownBy(() -> OneTimePreKeyPair.generateBatch(0, OneTimePreKeyPair.MAX_BATCH + 1, new FixedRandom(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OneTimePreKeyPair.generateBatch(Integer.MAX_VALUE, 2, new FixedRandom(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
