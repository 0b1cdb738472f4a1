package crumbhub.crypto.pqxdh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.crypto.CryptoException;
import crumbhub.crypto.FixedRandom;
import crumbhub.crypto.identity.IdentityKeys;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Signed one-time ML-KEM prekeys (PQXDH section 3.2/3.3, docs/crypto.md "PQXDH"). */
class OneTimeKemPreKeyTest {
    @Test
    void theInitiatorUsesTheOneTimeKemPreKeyAndTheResponderNamesItConsumed() throws Exception {
        var rng = new FixedRandom(41);
        try (var alice = IdentityKeys.generate(rng); var bob = new Device(rng, 1).withOneTimeKem(rng, 2)) {
            try (var init = Pqxdh.initiate(alice, bob.bundle(), rng)) {
                var message = InitialMessage.decode(init.message().encode());
                assertThat(message.oneTimeKem()).isTrue();
                assertThat(message.kemPreKeyId()).isEqualTo(500);
                try (var resp = Pqxdh.respond(bob.identity, bob, message)) {
                    assertThat(resp.sharedKey()).isEqualTo(init.sharedKey());
                    assertThat(resp.consumedOneTimeKemPreKey()).isEqualTo(OptionalInt.of(500));
                    assertThat(resp.consumedOneTimePreKey()).isEqualTo(OptionalInt.of(100));
                }
            }
        }
    }

    @Test
    void theResponderRefusesASecondUseOfTheSameOneTimeKemPreKey() throws Exception {
        var rng = new FixedRandom(42);
        try (var alice = IdentityKeys.generate(rng); var bob = new Device(rng, 0).withOneTimeKem(rng, 2)) {
            var bundle = bob.bundle();
            var first = Pqxdh.initiate(alice, bundle, rng);
            try (var resp = Pqxdh.respond(bob.identity, bob, first.message())) {
                bob.deleteKem(resp.consumedOneTimeKemPreKey().getAsInt());
            }
            // a lying server hands the same one-time KEM prekey out again: the second session is refused
            var second = Pqxdh.initiate(alice, bundle, rng);
            assertThat(second.message().kemPreKeyId()).isEqualTo(500);
            assertThatThrownBy(() -> Pqxdh.respond(bob.identity, bob, second.message()))
                    .isInstanceOf(CryptoException.class).hasMessageContaining("one-time KEM prekey 500 unknown or already used");
        }
    }

    @Test
    void withoutAOneTimeKemPreKeyTheLastResortOneIsUsed() throws Exception {
        var rng = new FixedRandom(43);
        try (var alice = IdentityKeys.generate(rng); var bob = new Device(rng, 0)) {
            try (var init = Pqxdh.initiate(alice, bob.bundle(), rng);
                 var resp = Pqxdh.respond(bob.identity, bob, InitialMessage.decode(init.message().encode()))) {
                assertThat(init.message().oneTimeKem()).isFalse();
                assertThat(init.message().kemPreKeyId()).isEqualTo(bob.kemPreKey.id());
                assertThat(init.message().encode()[0]).isEqualTo((byte) InitialMessage.VERSION);
                assertThat(resp.sharedKey()).isEqualTo(init.sharedKey());
                assertThat(resp.consumedOneTimeKemPreKey()).isEmpty();
            }
        }
    }

    @Test
    void aForgedOrLastResortSignedOneTimeKemPreKeyIsRefused() throws Exception {
        var rng = new FixedRandom(44);
        try (var alice = IdentityKeys.generate(rng); var bob = new Device(rng, 0).withOneTimeKem(rng, 1);
             var mallory = new Device(rng, 0).withOneTimeKem(rng, 1)) {
            var good = bob.bundle();
            var foreign = new PreKeyBundle(good.identity(), good.signedPreKey(), good.kemPreKey(), Optional.empty(),
                    mallory.bundle().oneTimeKemPreKey());
            var lastResortAsOneTime = new PreKeyBundle(good.identity(), good.signedPreKey(), good.kemPreKey(),
                    Optional.empty(), Optional.of(good.kemPreKey()));
            var k = good.oneTimeKemPreKey().orElseThrow();
            var sig = k.signature();
            sig[5] ^= 1;
            var badSignature = new PreKeyBundle(good.identity(), good.signedPreKey(), good.kemPreKey(), Optional.empty(),
                    Optional.of(new KemPreKey(k.id(), k.publicKey(), sig)));
            var oneTimeAsLastResort = new PreKeyBundle(good.identity(), good.signedPreKey(), k, Optional.empty());
            for (var bundle : new PreKeyBundle[] {foreign, lastResortAsOneTime, badSignature}) {
                assertThatThrownBy(() -> Pqxdh.initiate(alice, bundle, rng))
                        .isInstanceOf(CryptoException.class).hasMessageContaining("one-time KEM prekey signature");
            }
            assertThatThrownBy(() -> Pqxdh.initiate(alice, oneTimeAsLastResort, rng))
                    .isInstanceOf(CryptoException.class).hasMessageContaining("KEM prekey signature");
        }
    }

    @Test
    void bundleAndMessageWithAOneTimeKemPreKeyRoundTrip() throws Exception {
        var rng = new FixedRandom(45);
        try (var alice = IdentityKeys.generate(rng); var bob = new Device(rng, 1).withOneTimeKem(rng, 1)) {
            var bundle = bob.bundle();
            var encoded = bundle.encode();
            assertThat(encoded[0]).isEqualTo((byte) PreKeyBundle.VERSION_ONE_TIME_KEM);
            assertThat(encoded).hasSize(1522 + 1253);
            assertThat(PreKeyBundle.decode(encoded)).isEqualTo(bundle);
            try (var init = Pqxdh.initiate(alice, bundle, rng)) {
                var m = init.message().encode();
                assertThat(m[0]).isEqualTo((byte) InitialMessage.VERSION_ONE_TIME_KEM);
                assertThat(InitialMessage.decode(m)).isEqualTo(init.message());
                m[0] = 3;
                assertThatThrownBy(() -> InitialMessage.decode(m)).isInstanceOf(CryptoException.class);
            }
        }
    }

    @Test
    void oneTimeKemBatchIsBoundedAndRoundTripsPrivately() throws Exception {
        var rng = new FixedRandom(46);
        try (var id = IdentityKeys.generate(rng)) {
            assertThatThrownBy(() -> KemPreKeyPair.generateOneTimeBatch(id, 1, KemPreKeyPair.MAX_ONE_TIME_BATCH + 1, rng))
                    .isInstanceOf(IllegalArgumentException.class);
            try (var k = KemPreKeyPair.generateOneTime(id, 9, rng);
                 var back = KemPreKeyPair.decodePrivate(k.encodePrivate())) {
                assertThat(back.publicPart()).isEqualTo(k.publicPart());
                assertThat(back.publicPart().verifyOneTime(id.publicKey())).isTrue();
                assertThat(back.publicPart().verify(id.publicKey())).isFalse();
            }
        }
    }
}
