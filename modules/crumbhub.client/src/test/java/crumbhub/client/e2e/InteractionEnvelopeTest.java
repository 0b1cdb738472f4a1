package crumbhub.client.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.client.home.Home;
import crumbhub.client.message.Delivery;
import crumbhub.client.message.Interaction;
import crumbhub.client.message.MessageOpener.Result;
import crumbhub.client.message.SealedBody;
import crumbhub.client.message.Target;
import crumbhub.crypto.binary.BinaryWriter;
import crumbhub.crypto.identity.IdentityKeys;
import crumbhub.crypto.pqxdh.KemPreKey;
import crumbhub.crypto.pqxdh.OneTimePreKey;
import crumbhub.crypto.pqxdh.Pqxdh;
import crumbhub.crypto.pqxdh.PreKeyBundle;
import crumbhub.crypto.pqxdh.SignedPreKey;
import crumbhub.crypto.ratchet.RatchetSession;
import crumbhub.wire.KeyFrame;
import crumbhub.wire.MessageId;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Envelope types 4-7 (reply, reaction, edit, delete) and envelope types this client does not
 * know, opened on bob's device with alice's side played by the crypto module (as in
 * {@link BodyOpenerTest}).
 */
class InteractionEnvelopeTest {
    private static final long T = 1_700_000_000_000L;
    private static final DeviceRef ALICE = new DeviceRef("alice", 1);
    private static final MessageId ORIGINAL = new MessageId(9, 9);

    @TempDir
    Path tmp;
    private final SecureRandom rng = new SecureRandom();
    private final List<String> warnings = new ArrayList<>();
    private final IdentityKeys alice = IdentityKeys.generate(rng);
    private Home home;
    private BodyOpener bob;
    private KeyFrame.KeysPublish bobKeys;
    private RatchetSession aliceSession;
    private Trust.Listing approved;
    private long seq;

    @BeforeEach
    void setUp() throws Exception {
        home = Home.open(tmp.resolve("bob"), prompt -> null, rng, 1000);
        var store = new E2eStore(home, rng);
        bob = new BodyOpener(new Self("bob", 1, store, rng, Clock.systemUTC(), warnings::add));
        try (var account = crumbhub.crypto.account.AccountKeyPair.generate(1, rng)) {
            approved = new Trust.Listing(account.publicKey().encode(), java.util.Map.of(1,
                    crumbhub.crypto.account.DeviceCertificate.issue(account, "alice", 1, alice.publicKey().encode(), rng)
                            .encode()));
        }
        bobKeys = store.transaction(tx -> {
            try (var keys = OwnKeys.generate(rng, 0)) {
                var frame = keys.publication(0, keys.addOneTime(3, rng));
                tx.put(OwnKeys.RECORD, keys.encode());
                return frame;
            }
        });
        var bundle = new PreKeyBundle(crumbhub.crypto.identity.IdentityPublicKey.decode(bobKeys.identity()),
                SignedPreKey.decode(bobKeys.signedPreKey()), KemPreKey.decode(bobKeys.kemPreKey()),
                Optional.of(OneTimePreKey.decode(bobKeys.oneTimePreKeys().get(0))));
        try (var initiation = Pqxdh.initiate(alice, bundle, rng)) {
            aliceSession = RatchetSession.initiator(initiation, rng);
        }
    }

    @AfterEach
    void tearDown() {
        home.close();
    }

    private Delivery fromAlice(byte[] plaintext) {
        var message = aliceSession.encrypt(plaintext);
        byte[] body = new RatchetBody(aliceSession.pendingInitialMessage(), message).encode();
        seq++;
        return new Delivery(new Target.Direct("bob"), "alice", 1, seq, new MessageId(0, seq),
                new SealedBody(BodySealer.ALG_RATCHET, body));
    }

    private static Envelope.Act act(MessageId id, String text, Interaction what) {
        return new Envelope.Act(ALICE, id, "bob", text, T, what);
    }

    @Test
    void eachInteractionOpensWithTheMessageItRefersTo() {
        List<Interaction> all = List.of(new Interaction.Reply(ORIGINAL), new Interaction.React(ORIGINAL, false),
                new Interaction.React(ORIGINAL, true), new Interaction.Edit(ORIGINAL), new Interaction.Delete(ORIGINAL));
        List<String> texts = List.of("me too", "\uD83D\uDC4D", "\uD83D\uDC4D", "hello, fixed", "");
        for (int i = 0; i < all.size(); i++) {
            var id = new MessageId(1, i);
            var opened = bob.open(fromAlice(act(id, texts.get(i), all.get(i)).encode()), approved);
            assertThat(opened).as(all.get(i).toString())
                    .isEqualTo(new Result.Opened(id, texts.get(i), Instant.ofEpochMilli(T), all.get(i)));
        }
    }

    @Test
    void theSameDeliveryOpenedAgainKeepsItsInteraction() {
        var delivery = fromAlice(act(new MessageId(1, 1), "\u2764", new Interaction.React(ORIGINAL, true)).encode());
        var first = bob.open(delivery, approved);
        assertThat(bob.open(delivery, approved)).as("remembered across a crash before the ACK").isEqualTo(first);
        assertThat(((Result.Opened) first).interaction()).isEqualTo(new Interaction.React(ORIGINAL, true));
    }

    @Test
    void interactionsArePaddedLikeText() {
        byte[] text = new Envelope.Text(ALICE, new MessageId(1, 1), "bob", "hi", T).encode();
        for (Interaction what : List.of(new Interaction.React(ORIGINAL, false), new Interaction.Delete(ORIGINAL),
                new Interaction.Edit(ORIGINAL))) {
            String t = what instanceof Interaction.Delete ? "" : "x";
            assertThat(act(new MessageId(1, 2), t, what).encode()).as(what.toString()).hasSameSizeAs(text);
        }
    }

    @Test
    void anEnvelopeTypeThisClientDoesNotKnowIsSkippedWithoutAWarning() {
        byte[] later = BinaryWriter.growable(64).u8(Envelope.VERSION).u8(15).str8("alice").u32(1)
                .raw(new byte[] {1, 2, 3, 4, 5}).toByteArray();
        var skipped = bob.open(fromAlice(later), approved);
        assertThat(skipped).isInstanceOf(Result.Control.class);
        assertThat(warnings).isEmpty();
        // the session went on: the next message opens
        var next = bob.open(fromAlice(new Envelope.Text(ALICE, new MessageId(2, 2), "bob", "still here", T).encode()),
                approved);
        assertThat(next).isInstanceOf(Result.Opened.class);
    }

    @Test
    void anUnknownTypeClaimingAnotherSenderIsStillRefused() {
        byte[] later = BinaryWriter.growable(64).u8(Envelope.VERSION).u8(15).str8("carol").u32(1).toByteArray();
        assertThat(bob.open(fromAlice(later), approved)).isInstanceOf(Result.Unreadable.class);
    }

    @Test
    void aReactionThatIsNotOneEmojiIsMalformed() {
        byte[] bad = act(new MessageId(1, 1), "x", new Interaction.React(ORIGINAL, false)).encode();
        // rewrite the one-byte emoji "x" into a space: a reaction has no spaces
        for (int i = 0; i < bad.length - 1; i++) {
            if (bad[i] == 0 && bad[i + 1] == 1 && i + 2 < bad.length && bad[i + 2] == 'x') {
                bad[i + 2] = ' ';
                break;
            }
        }
        assertThatThrownBy(() -> Envelope.decode(bad)).isInstanceOf(Malformed.class);
        assertThat(bob.open(fromAlice(bad), approved)).isInstanceOf(Result.Unreadable.class);
    }

    @Test
    void aDeleteWithTextOrAFlagOnAnEditIsMalformed() {
        assertThatThrownBy(() -> Envelope.decode(act(new MessageId(1, 1), "left over",
                new Interaction.Delete(ORIGINAL)).encode())).isInstanceOf(Malformed.class);
    }
}
