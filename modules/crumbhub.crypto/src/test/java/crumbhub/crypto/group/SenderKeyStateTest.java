package crumbhub.crypto.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.crypto.Bytes;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.FixedRandom;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SenderKeyStateTest {
    private static final String ROOM = "#crumbs";
    private static final String ALICE = "alice/1";

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A member's copy, as it arrives: encoded, over a pairwise session, from Alice's device. */
    private static SenderKeyState receive(SenderKeyState own) throws CryptoException {
        return SenderKeyState.fromDistribution(ALICE, SenderKeyDistribution.decode(own.distribution().encode()));
    }

    @Test
    void everyMemberWithTheDistributionDecrypts() throws Exception {
        try (var alice = SenderKeyState.create(ROOM, ALICE, new FixedRandom(1));
             var bob = receive(alice); var carol = receive(alice)) {
            for (int i = 0; i < 5; i++) {
                var m = SenderKeyMessage.decode(alice.encrypt(text("hello " + i)).encode());
                assertThat(text(bob.decrypt(m))).isEqualTo("hello " + i);
                assertThat(text(carol.decrypt(m))).isEqualTo("hello " + i);
            }
            assertThat(bob.iteration()).isEqualTo(5).isEqualTo(alice.iteration());
        }
    }

    @Test
    void nonMemberWithoutTheChainKeyCannotDecrypt() throws Exception {
        try (var alice = SenderKeyState.create(ROOM, ALICE, new FixedRandom(2))) {
            var d = alice.distribution();
            var guessedKey = new byte[32];
            new FixedRandom(3).nextBytes(guessedKey);
            // Even knowing the chain id and the signing key, a wrong chain key gets nothing.
            try (var mallory = SenderKeyState.fromDistribution(ALICE, new SenderKeyDistribution(ROOM, d.chainId(), 0, guessedKey, d.signingKey()))) {
                var m = alice.encrypt(text("secret"));
                assertThatThrownBy(() -> mallory.decrypt(m)).isInstanceOf(CryptoException.class).hasMessageContaining("authenticate");
            }
        }
    }

    @Test
    void afterRotationTheOldChainHolderCannotDecrypt() throws Exception {
        try (var alice = SenderKeyState.create(ROOM, ALICE, new FixedRandom(4)); var removed = receive(alice); var staying = receive(alice)) {
            assertThat(text(removed.decrypt(alice.encrypt(text("before"))))).isEqualTo("before");
            try (var rotated = alice.rotate(new FixedRandom(5)); var stayingNew = receive(rotated)) {
                assertThat(rotated.chainId()).isNotEqualTo(alice.chainId());
                var m = rotated.encrypt(text("after removal"));
                assertThat(text(stayingNew.decrypt(m))).isEqualTo("after removal");
                assertThatThrownBy(() -> removed.decrypt(m)).isInstanceOf(CryptoException.class).hasMessageContaining("unknown chain");
                assertThatThrownBy(() -> staying.decrypt(m)).isInstanceOf(CryptoException.class);
            }
        }
    }

    @Test
    void relabellingTheOldChainWithTheNewChainIdDoesNotHelp() throws Exception {
        try (var alice = SenderKeyState.create(ROOM, ALICE, new FixedRandom(4))) {
            var old = alice.distribution();
            try (var rotated = alice.rotate(new FixedRandom(5));
                 var relabelled = SenderKeyState.fromDistribution(ALICE,
                         new SenderKeyDistribution(ROOM, rotated.chainId(), 0, old.chainKey(), rotated.distribution().signingKey()))) {
                var m = rotated.encrypt(text("after removal"));
                assertThatThrownBy(() -> relabelled.decrypt(m)).isInstanceOf(CryptoException.class).hasMessageContaining("authenticate");
            }
        }
    }

    @Test
    void forgedOrFlippedSignatureIsRejectedAndStateUnchanged() throws Exception {
        try (var alice = SenderKeyState.create(ROOM, ALICE, new FixedRandom(6)); var bob = receive(alice)) {
            var m = alice.encrypt(text("signed"));
            var sig = m.signature();
            sig[10] ^= 1;
            var before = bob.serialize();
            assertThatThrownBy(() -> bob.decrypt(new SenderKeyMessage(m.chainId(), m.iteration(), m.ciphertext(), sig)))
                    .isInstanceOf(CryptoException.class).hasMessageContaining("signature");
            assertThat(bob.serialize()).isEqualTo(before);
            assertThat(text(bob.decrypt(m))).isEqualTo("signed");
        }
    }

    @Test
    void memberWhoKnowsTheChainKeyCannotForgeTheSendersMessages() throws Exception {
        try (var alice = SenderKeyState.create(ROOM, ALICE, new FixedRandom(7)); var bob = receive(alice); var carol = receive(alice)) {
            // Bob turns his copy into a sending chain with his own signing key (edits its serialization).
            var state = bob.serialize();
            int ownFlag = 1 + 1 + ROOM.length() + 1 + ALICE.length() + 4 + 4 + 32;
            state[ownFlag] = 1;
            try (var forger = SenderKeyState.deserialize(state)) {
                var forged = forger.encrypt(text("from alice, honest"));
                assertThatThrownBy(() -> carol.decrypt(forged)).isInstanceOf(CryptoException.class).hasMessageContaining("signature");
            }
        }
    }

    @Test
    void outOfOrderMessagesWithinTheWindowDecryptOnce() throws Exception {
        try (var alice = SenderKeyState.create(ROOM, ALICE, new FixedRandom(8)); var bob = receive(alice)) {
            var sent = new ArrayList<SenderKeyMessage>();
            for (int i = 0; i < 6; i++) {
                sent.add(alice.encrypt(text("m" + i)));
            }
            for (int i : new int[] {3, 0, 5, 1, 4, 2}) {
                assertThat(text(bob.decrypt(sent.get(i)))).isEqualTo("m" + i);
            }
            assertThat(bob.skippedKeyCount()).isZero();
            var before = bob.serialize();
            assertThatThrownBy(() -> bob.decrypt(sent.get(1))).isInstanceOf(CryptoException.class).hasMessageContaining("already");
            assertThatThrownBy(() -> bob.decrypt(sent.get(5))).isInstanceOf(CryptoException.class).hasMessageContaining("already");
            assertThat(bob.serialize()).isEqualTo(before);
        }
    }

    @Test
    void jumpBeyondTheWindowIsRejectedAndStateUnchanged() throws Exception {
        try (var alice = SenderKeyState.create(ROOM, ALICE, new FixedRandom(9)); var bob = receive(alice)) {
            var sent = new ArrayList<SenderKeyMessage>();
            for (int i = 0; i <= SenderKeyState.MAX_SKIP + 1; i++) {
                sent.add(alice.encrypt(text("m" + i)));
            }
            var before = bob.serialize();
            assertThatThrownBy(() -> bob.decrypt(sent.get(SenderKeyState.MAX_SKIP + 1))).isInstanceOf(CryptoException.class).hasMessageContaining("skip");
            assertThat(bob.serialize()).isEqualTo(before);
            assertThat(text(bob.decrypt(sent.get(SenderKeyState.MAX_SKIP)))).isEqualTo("m" + SenderKeyState.MAX_SKIP);
            assertThat(bob.skippedKeyCount()).isEqualTo(SenderKeyState.MAX_SKIP);
            assertThat(text(bob.decrypt(sent.get(SenderKeyState.MAX_SKIP + 1)))).isEqualTo("m" + (SenderKeyState.MAX_SKIP + 1));
        }
    }

    @Test
    void skippedKeysAreCappedOldestFirst() throws Exception {
        try (var alice = SenderKeyState.create(ROOM, ALICE, new FixedRandom(10)); var bob = receive(alice)) {
            var first = alice.encrypt(text("first"));
            SenderKeyMessage recent = null;
            for (int round = 0; round < 2; round++) {
                SenderKeyMessage last = null;
                for (int i = 0; i < SenderKeyState.MAX_SKIP; i++) {
                    last = alice.encrypt(text("x"));
                    if (round == 1 && i == SenderKeyState.MAX_SKIP - 2) {
                        recent = last;
                    }
                }
                bob.decrypt(last);
            }
            assertThat(bob.skippedKeyCount()).isEqualTo(SenderKeyState.MAX_SKIPPED_KEYS);
            assertThatThrownBy(() -> bob.decrypt(first)).isInstanceOf(CryptoException.class);
            assertThat(text(bob.decrypt(recent))).isEqualTo("x");
        }
    }

    @Test
    void newMemberCannotReadMessagesSentBeforeJoining() throws Exception {
        try (var alice = SenderKeyState.create(ROOM, ALICE, new FixedRandom(11))) {
            var early = List.of(alice.encrypt(text("e0")), alice.encrypt(text("e1")));
            try (var late = receive(alice)) {
                var now = alice.encrypt(text("now"));
                assertThat(text(late.decrypt(now))).isEqualTo("now");
                for (var m : early) {
                    assertThatThrownBy(() -> late.decrypt(m)).isInstanceOf(CryptoException.class);
                }
            }
        }
    }

    @Test
    void tamperedCiphertextIsRejectedAndStateUnchanged() throws Exception {
        try (var alice = SenderKeyState.create(ROOM, ALICE, new FixedRandom(12)); var bob = receive(alice)) {
            var encoded = alice.encrypt(text("intact")).encode();
            var before = bob.serialize();
            for (int at : List.of(0, 2, 7, 10, encoded.length - 65, encoded.length - 1)) {
                var f = encoded.clone();
                f[at] ^= 1;
                assertThatThrownBy(() -> bob.decrypt(SenderKeyMessage.decode(f))).isInstanceOf(CryptoException.class);
                assertThat(bob.serialize()).isEqualTo(before);
            }
            assertThat(text(bob.decrypt(SenderKeyMessage.decode(encoded)))).isEqualTo("intact");
        }
    }

    @Test
    void chainRedistributedUnderAnotherSenderDoesNotDecrypt() throws Exception {
        try (var alice = SenderKeyState.create(ROOM, ALICE, new FixedRandom(13));
             var asMallory = SenderKeyState.fromDistribution("mallory/1", alice.distribution())) {
            var m = alice.encrypt(text("mine"));
            assertThatThrownBy(() -> asMallory.decrypt(m)).isInstanceOf(CryptoException.class).hasMessageContaining("authenticate");
        }
    }

    @Test
    void serializationRoundTripsOwnAndReceivedChains() throws Exception {
        try (var alice = SenderKeyState.create(ROOM, ALICE, new FixedRandom(14)); var bob = receive(alice)) {
            var held = alice.encrypt(text("held"));
            bob.decrypt(alice.encrypt(text("1")));
            try (var alice2 = SenderKeyState.deserialize(alice.serialize()); var bob2 = SenderKeyState.deserialize(bob.serialize())) {
                assertThat(alice2.serialize()).isEqualTo(alice.serialize());
                assertThat(bob2.serialize()).isEqualTo(bob.serialize());
                assertThat(alice2.isOwn()).isTrue();
                assertThat(bob2.isOwn()).isFalse();
                assertThat(text(bob2.decrypt(held))).isEqualTo("held");
                assertThat(text(bob2.decrypt(alice2.encrypt(text("2"))))).isEqualTo("2");
            }
            var good = bob.serialize();
            assertThatThrownBy(() -> SenderKeyState.deserialize(java.util.Arrays.copyOf(good, good.length - 1))).isInstanceOf(CryptoException.class);
            assertThatThrownBy(() -> SenderKeyState.deserialize(Bytes.concat(good, new byte[1]))).isInstanceOf(CryptoException.class);
            var badVersion = good.clone();
            badVersion[0] = 7;
            assertThatThrownBy(() -> SenderKeyState.deserialize(badVersion)).isInstanceOf(CryptoException.class).hasMessageContaining("version");
        }
    }

    @Test
    void skippedKeysExpireByTheCallersClockAndKeepTheirTimeAcrossSerialization() throws Exception {
        try (var alice = SenderKeyState.create(ROOM, ALICE, new FixedRandom(30)); var bob = receive(alice)) {
            var lateA = alice.encrypt(text("late a"));
            var lateB = alice.encrypt(text("late b"));
            bob.decrypt(alice.encrypt(text("2")), 5_000);
            try (var restored = SenderKeyState.deserialize(bob.serialize())) {
                assertThat(restored.oldestSkippedKeyMs()).isEqualTo(5_000);
                assertThat(restored.expireSkippedKeys(6_000, 1_000)).isZero();
                assertThat(text(restored.decrypt(lateA, 6_000))).isEqualTo("late a");
                assertThat(restored.expireSkippedKeys(6_001, 1_000)).isEqualTo(1);
                assertThat(restored.oldestSkippedKeyMs()).isEqualTo(Long.MAX_VALUE);
                assertThatThrownBy(() -> restored.decrypt(lateB, 6_002)).isInstanceOf(CryptoException.class);
            }
        }
    }

    @Test
    void sameSeedGivesTheSameMessages() {
        try (var a = SenderKeyState.create(ROOM, ALICE, new FixedRandom(15)); var b = SenderKeyState.create(ROOM, ALICE, new FixedRandom(15))) {
            assertThat(a.encrypt(text("x")).encode()).isEqualTo(b.encrypt(text("x")).encode());
        }
    }

    @Test
    void distributionEncodingRoundTripsAndRedacts() throws Exception {
        try (var alice = SenderKeyState.create(ROOM, ALICE, new FixedRandom(16))) {
            var d = alice.distribution();
            assertThat(SenderKeyDistribution.decode(d.encode())).isEqualTo(d);
            assertThat(d.toString() + alice).contains("redacted").doesNotContain(Bytes.hex(d.chainKey()));
            assertThatThrownBy(() -> SenderKeyDistribution.decode(Bytes.concat(d.encode(), new byte[1]))).isInstanceOf(CryptoException.class);
        }
    }

    @Test
    void roleMisuseIsRefused() throws Exception {
        try (var alice = SenderKeyState.create(ROOM, ALICE, new FixedRandom(17)); var bob = receive(alice)) {
            var m = alice.encrypt(text("x"));
            assertThatThrownBy(() -> alice.decrypt(m)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> bob.encrypt(text("x"))).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(bob::distribution).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> bob.rotate(new FixedRandom(1))).isInstanceOf(IllegalStateException.class);
        }
    }
}
