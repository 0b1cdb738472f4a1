package crumbhub.crypto.ratchet;

import static crumbhub.crypto.ratchet.Conversation.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.crypto.Bytes;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.FixedRandom;
import crumbhub.crypto.X25519KeyPair;
import crumbhub.crypto.e2ee.ChainKdf;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RatchetSessionTest {
    @Test
    void inOrderConversationInBothDirections() throws Exception {
        try (var c = new Conversation(1)) {
            assertThat(c.bob.canSend()).isFalse();
            assertThatThrownBy(() -> c.bob.encrypt(text("too early"))).isInstanceOf(IllegalStateException.class);
            for (int round = 0; round < 4; round++) {
                for (int i = 0; i < 3; i++) {
                    var m = c.alice.encrypt(text("a" + round + i));
                    assertThat(text(c.bob.decrypt(RatchetMessage.decode(m.encode()), c.rng))).isEqualTo("a" + round + i);
                }
                for (int i = 0; i < 2; i++) {
                    var m = c.bob.encrypt(text("b" + round + i));
                    assertThat(text(c.alice.decrypt(m, c.rng))).isEqualTo("b" + round + i);
                }
            }
            assertThat(c.alice.skippedKeyCount()).isZero();
            assertThat(c.bob.skippedKeyCount()).isZero();
        }
    }

    @Test
    void initialMessageIsPendingUntilTheFirstReplyAndBaseKeysMatch() throws Exception {
        try (var c = new Conversation(2)) {
            assertThat(c.alice.baseKey()).hasSize(32).isEqualTo(c.bob.baseKey());
            c.bob.decrypt(c.alice.encrypt(text("hi")), c.rng);
            assertThat(c.alice.pendingInitialMessage()).isPresent();
            assertThat(c.bob.pendingInitialMessage()).isEmpty();
            c.alice.decrypt(c.bob.encrypt(text("hello")), c.rng);
            assertThat(c.alice.pendingInitialMessage()).isEmpty();
        }
    }

    @Test
    void outOfOrderMessagesAllDecrypt() throws Exception {
        try (var c = new Conversation(3)) {
            var sent = new ArrayList<RatchetMessage>();
            for (int i = 0; i < 6; i++) {
                sent.add(c.alice.encrypt(text("m" + i)));
            }
            for (int i : new int[] {4, 1, 0, 5, 2, 3}) {
                assertThat(text(c.bob.decrypt(sent.get(i), c.rng))).isEqualTo("m" + i);
            }
            assertThat(c.bob.skippedKeyCount()).isZero();
        }
    }

    @Test
    void messagesFromAnEarlierChainDecryptAfterARatchetStep() throws Exception {
        try (var c = new Conversation(4)) {
            c.bob.decrypt(c.alice.encrypt(text("0")), c.rng);
            var late = c.alice.encrypt(text("late"));
            c.alice.decrypt(c.bob.encrypt(text("reply")), c.rng);
            var next = c.alice.encrypt(text("next chain"));
            assertThat(text(c.bob.decrypt(next, c.rng))).isEqualTo("next chain");
            assertThat(c.bob.skippedKeyCount()).isEqualTo(1);
            assertThat(text(c.bob.decrypt(late, c.rng))).isEqualTo("late");
            assertThat(c.bob.skippedKeyCount()).isZero();
        }
    }

    @Test
    void lostMessagesDoNotStopLaterOnes() throws Exception {
        try (var c = new Conversation(5)) {
            for (int i = 0; i < 10; i++) {
                var m = c.alice.encrypt(text("m" + i));
                if (i % 3 == 0) {
                    assertThat(text(c.bob.decrypt(m, c.rng))).isEqualTo("m" + i);
                }
            }
            assertThat(c.bob.skippedKeyCount()).isEqualTo(6);
            assertThat(text(c.alice.decrypt(c.bob.encrypt(text("ok")), c.rng))).isEqualTo("ok");
        }
    }

    @Test
    void replayIsRejectedAndLeavesTheSessionUnchanged() throws Exception {
        try (var c = new Conversation(6)) {
            var first = c.alice.encrypt(text("1"));
            var second = c.alice.encrypt(text("2"));
            c.bob.decrypt(second, c.rng);
            c.bob.decrypt(first, c.rng);
            var before = c.bob.serialize();
            assertThatThrownBy(() -> c.bob.decrypt(second, c.rng)).isInstanceOf(CryptoException.class).hasMessageContaining("already");
            assertThatThrownBy(() -> c.bob.decrypt(first, c.rng)).isInstanceOf(CryptoException.class);
            assertThat(c.bob.serialize()).isEqualTo(before);
        }
    }

    @Test
    void skippingMoreThanMaxSkipIsRejectedAndLeavesTheSessionUnchanged() throws Exception {
        try (var c = new Conversation(7)) {
            var sent = new ArrayList<RatchetMessage>();
            for (int i = 0; i <= RatchetSession.MAX_SKIP + 1; i++) {
                sent.add(c.alice.encrypt(text("m" + i)));
            }
            var before = c.bob.serialize();
            assertThatThrownBy(() -> c.bob.decrypt(sent.get(RatchetSession.MAX_SKIP + 1), c.rng))
                    .isInstanceOf(CryptoException.class).hasMessageContaining("skip");
            assertThat(c.bob.serialize()).isEqualTo(before);
            assertThat(text(c.bob.decrypt(sent.get(RatchetSession.MAX_SKIP), c.rng))).isEqualTo("m" + RatchetSession.MAX_SKIP);
            assertThat(c.bob.skippedKeyCount()).isEqualTo(RatchetSession.MAX_SKIP);
        }
    }

    @Test
    void forgedPreviousChainLengthCannotForceUnboundedSkipping() throws Exception {
        try (var c = new Conversation(8)) {
            c.bob.decrypt(c.alice.encrypt(text("0")), c.rng);
            var real = c.alice.encrypt(text("1"));
            var forged = new RatchetMessage(X25519KeyPair.generate(new FixedRandom(99)).publicKey(), Integer.MAX_VALUE, 0, real.ciphertext());
            var before = c.bob.serialize();
            assertThatThrownBy(() -> c.bob.decrypt(forged, c.rng)).isInstanceOf(CryptoException.class).hasMessageContaining("skip");
            var lastNumber = new RatchetMessage(real.ratchetKey(), 0, Integer.MAX_VALUE, real.ciphertext());
            assertThatThrownBy(() -> c.bob.decrypt(lastNumber, c.rng)).isInstanceOf(CryptoException.class).hasMessageContaining("range");
            assertThat(c.bob.serialize()).isEqualTo(before);
            assertThat(text(c.bob.decrypt(real, c.rng))).isEqualTo("1");
        }
    }

    @Test
    void totalSkippedKeysAreCappedOldestFirst() throws Exception {
        try (var c = new Conversation(9)) {
            var oldest = new ArrayList<RatchetMessage>();
            RatchetMessage newestSkipped = null;
            for (int round = 0; round < 3; round++) {
                RatchetMessage m = null;
                for (int i = 0; i <= RatchetSession.MAX_SKIP; i++) {
                    m = c.alice.encrypt(text("r" + round + "m" + i));
                    if (round == 0 && i < 3) {
                        oldest.add(m);
                    }
                    if (round == 2 && i == RatchetSession.MAX_SKIP - 1) {
                        newestSkipped = m;
                    }
                }
                c.bob.decrypt(m, c.rng);
                c.alice.decrypt(c.bob.encrypt(text("ack")), c.rng);
            }
            assertThat(c.bob.skippedKeyCount()).isEqualTo(RatchetSession.MAX_SKIPPED_KEYS);
            assertThatThrownBy(() -> c.bob.decrypt(oldest.get(0), c.rng)).isInstanceOf(CryptoException.class);
            assertThat(text(c.bob.decrypt(newestSkipped, c.rng))).isEqualTo("r2m" + (RatchetSession.MAX_SKIP - 1));
        }
    }

    @Test
    void usedMessageKeysAreGoneFromTheStoredState() throws Exception {
        try (var c = new Conversation(10)) {
            c.bob.decrypt(c.alice.encrypt(text("warm up")), c.rng);
            var chainKey = c.alice.sendingChainKey();
            var messageKey = ChainKdf.messageKey(chainKey);
            var skippedMessage = c.alice.encrypt(text("skipped"));
            var laterMessage = c.alice.encrypt(text("later"));
            c.bob.decrypt(laterMessage, c.rng);
            assertThat(Bytes.hex(c.bob.serialize())).contains(Bytes.hex(messageKey));
            assertThat(text(c.bob.decrypt(skippedMessage, c.rng))).isEqualTo("skipped");
            var stored = Bytes.hex(c.bob.serialize());
            assertThat(stored).doesNotContain(Bytes.hex(messageKey)).doesNotContain(Bytes.hex(chainKey));
            assertThatThrownBy(() -> c.bob.decrypt(skippedMessage, c.rng)).isInstanceOf(CryptoException.class);
            var restored = RatchetSession.deserialize(c.bob.serialize());
            assertThatThrownBy(() -> restored.decrypt(skippedMessage, c.rng)).isInstanceOf(CryptoException.class);
            assertThatThrownBy(() -> restored.decrypt(laterMessage, c.rng)).isInstanceOf(CryptoException.class);
        }
    }

    @Test
    void stolenStateCannotDecryptOnceBothSidesHaveRatcheted() throws Exception {
        try (var c = new Conversation(11)) {
            c.bob.decrypt(c.alice.encrypt(text("0")), c.rng);
            c.alice.decrypt(c.bob.encrypt(text("1")), c.rng);
            var stolen = c.alice.serialize();
            var attackerRng = new FixedRandom(12345);
            c.bob.decrypt(c.alice.encrypt(text("2")), c.rng);
            var bobStep = c.bob.encrypt(text("after bob's step"));
            c.alice.decrypt(bobStep, c.rng);
            c.bob.decrypt(c.alice.encrypt(text("after alice's step")), c.rng);
            var afterBoth = c.bob.encrypt(text("after both steps"));
            assertThat(text(c.alice.decrypt(afterBoth, c.rng))).isEqualTo("after both steps");

            try (var attacker = RatchetSession.deserialize(stolen)) {
                // The stolen copy holds Alice's current ratchet key, so Bob's next reply is still readable...
                assertThat(text(attacker.decrypt(bobStep, attackerRng))).isEqualTo("after bob's step");
                // ...but Alice's next key pair came from her own randomness: after it, the session has healed.
                var before = attacker.serialize();
                assertThatThrownBy(() -> attacker.decrypt(afterBoth, attackerRng)).isInstanceOf(CryptoException.class);
                assertThat(attacker.serialize()).isEqualTo(before);
            }
        }
    }

    @Test
    void tamperedHeaderOrCiphertextIsRejectedAndLeavesTheSessionUnchanged() throws Exception {
        try (var c = new Conversation(13)) {
            c.bob.decrypt(c.alice.encrypt(text("0")), c.rng);
            c.alice.decrypt(c.bob.encrypt(text("1")), c.rng);
            var genuine = c.alice.encrypt(text("genuine"));
            var encoded = genuine.encode();
            var before = c.bob.serialize();
            var forgeries = new ArrayList<byte[]>();
            for (int at : List.of(0, 1, 20, 33, 36, 37, 40, 41, encoded.length - 1)) {
                var f = encoded.clone();
                f[at] ^= 1;
                forgeries.add(f);
            }
            for (var f : forgeries) {
                assertThatThrownBy(() -> c.bob.decrypt(RatchetMessage.decode(f), c.rng)).isInstanceOf(CryptoException.class);
                assertThat(c.bob.serialize()).isEqualTo(before);
            }
            assertThat(text(c.bob.decrypt(genuine, c.rng))).isEqualTo("genuine");
        }
    }

    @Test
    void messageFromAnotherSessionIsRejected() throws Exception {
        try (var c = new Conversation(14); var other = new Conversation(15)) {
            var before = c.bob.serialize();
            assertThatThrownBy(() -> c.bob.decrypt(other.alice.encrypt(text("x")), c.rng)).isInstanceOf(CryptoException.class);
            assertThat(c.bob.serialize()).isEqualTo(before);
        }
    }

    @Test
    void serializationRoundTripsMidConversation() throws Exception {
        try (var c = new Conversation(16)) {
            c.bob.decrypt(c.alice.encrypt(text("0")), c.rng);
            var held = c.alice.encrypt(text("held back"));
            c.bob.decrypt(c.alice.encrypt(text("2")), c.rng);
            c.alice.decrypt(c.bob.encrypt(text("3")), c.rng);
            try (var alice2 = RatchetSession.deserialize(c.alice.serialize()); var bob2 = RatchetSession.deserialize(c.bob.serialize())) {
                assertThat(alice2.serialize()).isEqualTo(c.alice.serialize());
                assertThat(bob2.serialize()).isEqualTo(c.bob.serialize());
                assertThat(bob2.skippedKeyCount()).isEqualTo(1);
                assertThat(text(bob2.decrypt(held, c.rng))).isEqualTo("held back");
                assertThat(text(bob2.decrypt(alice2.encrypt(text("4")), c.rng))).isEqualTo("4");
                assertThat(text(alice2.decrypt(bob2.encrypt(text("5")), c.rng))).isEqualTo("5");
                assertThat(alice2.baseKey()).isEqualTo(bob2.baseKey());
            }
        }
    }

    @Test
    void skippedKeysExpireByTheCallersClockAndKeepTheirTimeAcrossSerialization() throws Exception {
        try (var c = new Conversation(23)) {
            c.bob.decrypt(c.alice.encrypt(text("0")), c.rng, 1_000);
            var lateA = c.alice.encrypt(text("late a"));
            var lateB = c.alice.encrypt(text("late b"));
            c.bob.decrypt(c.alice.encrypt(text("3")), c.rng, 5_000);
            assertThat(c.bob.oldestSkippedKeyMs()).isEqualTo(5_000);
            try (var restored = RatchetSession.deserialize(c.bob.serialize())) {
                assertThat(restored.oldestSkippedKeyMs()).isEqualTo(5_000);
                assertThat(restored.expireSkippedKeys(6_000, 1_000)).isZero();
                assertThat(text(restored.decrypt(lateA, c.rng, 6_000))).isEqualTo("late a");
                assertThat(restored.expireSkippedKeys(6_001, 1_000)).isEqualTo(1);
                assertThat(restored.skippedKeyCount()).isZero();
                assertThat(restored.oldestSkippedKeyMs()).isEqualTo(Long.MAX_VALUE);
                assertThatThrownBy(() -> restored.decrypt(lateB, c.rng, 6_002)).isInstanceOf(CryptoException.class);
            }
        }
    }

    @Test
    void aVersion1SerializationWithoutTimesStillLoadsAndItsKeysAreOfUnknownAge() throws Exception {
        try (var c = new Conversation(25)) {
            c.bob.decrypt(c.alice.encrypt(text("0")), c.rng, 1_000);
            var late = c.alice.encrypt(text("late"));
            c.alice.encrypt(text("lost"));
            c.bob.decrypt(c.alice.encrypt(text("3")), c.rng, 2_000);
            byte[] v2 = c.bob.serialize();
            // version 1 is version 2 without the u64 time after each skipped key (the entries end the encoding)
            int entries = 2;
            int entry = 32 + 4 + 32;
            int start = v2.length - entries * (entry + 8);
            var v1 = new java.io.ByteArrayOutputStream();
            v1.write(v2, 0, start);
            for (int i = 0; i < entries; i++) {
                v1.write(v2, start + i * (entry + 8), entry);
            }
            byte[] old = v1.toByteArray();
            old[0] = 1;
            try (var restored = RatchetSession.deserialize(old)) {
                assertThat(restored.skippedKeyCount()).isEqualTo(2);
                assertThat(restored.oldestSkippedKeyMs()).isEqualTo(-1);
                assertThat(text(restored.decrypt(late, c.rng, 3_000))).isEqualTo("late");
            }
        }
    }

    @Test
    void skippedKeysOfUnknownAgeGetTheirAgeFromTheFirstExpiry() throws Exception {
        try (var c = new Conversation(24)) {
            c.bob.decrypt(c.alice.encrypt(text("0")), c.rng);
            c.alice.encrypt(text("lost"));
            c.bob.decrypt(c.alice.encrypt(text("2")), c.rng);
            assertThat(c.bob.oldestSkippedKeyMs()).isEqualTo(-1);
            assertThat(c.bob.expireSkippedKeys(10_000, 1_000)).isZero();
            assertThat(c.bob.oldestSkippedKeyMs()).isEqualTo(10_000);
            assertThat(c.bob.expireSkippedKeys(11_001, 1_000)).isEqualTo(1);
        }
    }

    @Test
    void serializationRejectsGarbage() throws Exception {
        try (var c = new Conversation(17)) {
            var good = c.alice.serialize();
            var badVersion = good.clone();
            badVersion[0] = 3;
            assertThatThrownBy(() -> RatchetSession.deserialize(badVersion)).isInstanceOf(CryptoException.class).hasMessageContaining("version");
            assertThatThrownBy(() -> RatchetSession.deserialize(java.util.Arrays.copyOf(good, good.length - 1))).isInstanceOf(CryptoException.class);
            assertThatThrownBy(() -> RatchetSession.deserialize(Bytes.concat(good, new byte[1]))).isInstanceOf(CryptoException.class);
            assertThatThrownBy(() -> RatchetSession.deserialize(new byte[0])).isInstanceOf(CryptoException.class);
        }
    }

    @Test
    void sameSeedsGiveTheSameCiphertexts() throws Exception {
        try (var a = new Conversation(18); var b = new Conversation(18)) {
            assertThat(a.alice.encrypt(text("x")).encode()).isEqualTo(b.alice.encrypt(text("x")).encode());
        }
    }

    @Test
    void tamperedKemCiphertextMakesTheFirstMessageFail() throws Exception {
        // ML-KEM rejects implicitly: Bob derives an unrelated SK, and the first ratchet message cannot authenticate.
        try (var c = new Conversation(19, true)) {
            var before = c.bob.serialize();
            assertThatThrownBy(() -> c.bob.decrypt(c.alice.encrypt(text("first")), c.rng)).isInstanceOf(CryptoException.class);
            assertThat(c.bob.serialize()).isEqualTo(before);
        }
    }

    @Test
    void messageDecodingRejectsShortOrUnknownMessages() {
        assertThatThrownBy(() -> RatchetMessage.decode(new byte[RatchetMessage.HEADER_LENGTH + 15])).isInstanceOf(CryptoException.class);
        var m = new byte[RatchetMessage.HEADER_LENGTH + 16];
        m[0] = 9;
        assertThatThrownBy(() -> RatchetMessage.decode(m)).isInstanceOf(CryptoException.class).hasMessageContaining("version");
        var negative = new byte[RatchetMessage.HEADER_LENGTH + 16];
        negative[0] = 1;
        negative[33] = (byte) 0x80;
        assertThatThrownBy(() -> RatchetMessage.decode(negative)).isInstanceOf(CryptoException.class);
    }

    @Test
    void closedSessionRefusesWorkAndToStringRedacts() throws Exception {
        var c = new Conversation(21);
        var key = Bytes.hex(c.alice.sendingChainKey());
        assertThat(c.alice.toString()).contains("redacted").doesNotContain(key);
        c.close();
        assertThatThrownBy(() -> c.alice.encrypt(text("x"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(c.alice::serialize).isInstanceOf(IllegalStateException.class);
    }
}
