package crumbhub.client.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.home.Home;
import crumbhub.client.message.Delivery;
import crumbhub.client.message.MessageOpener.Result;
import crumbhub.client.message.SealedBody;
import crumbhub.client.message.Target;
import crumbhub.crypto.group.SenderKeyState;
import crumbhub.crypto.identity.IdentityKeys;
import crumbhub.crypto.pqxdh.KemPreKey;
import crumbhub.crypto.pqxdh.OneTimePreKey;
import crumbhub.crypto.pqxdh.Pqxdh;
import crumbhub.crypto.pqxdh.PreKeyBundle;
import crumbhub.crypto.pqxdh.SignedPreKey;
import crumbhub.crypto.ratchet.RatchetSession;
import crumbhub.wire.KeyFrame;
import crumbhub.wire.MessageId;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening deliveries on bob's device, with alice's side played by the crypto module directly:
 * sessions set up from an initial message, room keys, and everything a server could do to a
 * delivery (forge, replay, relabel, strip the encryption).
 */
class BodyOpenerTest {
    /** The sender's time written into test envelopes. */
    private static final long T = 1_700_000_000_000L;
    private static final java.time.Instant SENT = java.time.Instant.ofEpochMilli(T);

    @TempDir
    Path tmp;
    private static final DeviceRef ALICE = new DeviceRef("alice", 1);
    private final SecureRandom rng = new SecureRandom();
    private final List<String> warnings = new ArrayList<>();
    private Home home;
    private E2eStore store;
    private BodyOpener bob;
    private KeyFrame.KeysPublish bobKeys;
    private final IdentityKeys alice = IdentityKeys.generate(rng);
    private RatchetSession aliceSession;
    /** The server's listing of alice's account: her account identity approved her device 1. */
    private Trust.Listing approved;

    @BeforeEach
    void setUp() {
        home = Home.open(tmp.resolve("bob"), prompt -> null, rng, 1000);
        store = new E2eStore(home, rng);
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
    }

    @AfterEach
    void tearDown() {
        home.close();
    }

    /** Alice starts a session with bob's published keys, taking his first one-time prekey. */
    private void aliceStarts() throws Exception {
        var bundle = new PreKeyBundle(crumbhub.crypto.identity.IdentityPublicKey.decode(bobKeys.identity()),
                SignedPreKey.decode(bobKeys.signedPreKey()), KemPreKey.decode(bobKeys.kemPreKey()),
                Optional.of(OneTimePreKey.decode(bobKeys.oneTimePreKeys().get(0))));
        try (var initiation = Pqxdh.initiate(alice, bundle, rng)) {
            aliceSession = RatchetSession.initiator(initiation, rng);
        }
    }

    private Delivery fromAlice(Envelope envelope, Target delivered) {
        var message = aliceSession.encrypt(envelope.encode());
        byte[] body = new RatchetBody(aliceSession.pendingInitialMessage(), message).encode();
        return new Delivery(delivered, "alice", 1, 1, new MessageId(0, 1), new SealedBody(BodySealer.ALG_RATCHET, body));
    }

    private Delivery text(String text) {
        return fromAlice(new Envelope.Text(ALICE, new MessageId(5, 6), "bob", text, T), new Target.Direct("bob"));
    }

    private List<byte[]> storeFiles() throws Exception {
        var out = new ArrayList<byte[]>();
        try (Stream<Path> files = Files.list(home.dir().resolve(Home.E2EE_DIR))) {
            for (Path p : files.sorted().toList()) {
                out.add(Files.readAllBytes(p));
            }
        }
        return out;
    }

    @Test
    void aSessionStartsFromTheInitialMessageAndUsesUpTheOneTimePrekey() throws Exception {
        aliceStarts();
        var first = bob.open(text("hello bob"), approved);
        assertThat(first).isEqualTo(new Result.Opened(new MessageId(5, 6), "hello bob", SENT));
        assertThat(bob.open(text("again"), approved)).isEqualTo(new Result.Opened(new MessageId(5, 6), "again", SENT));
        int left = store.transaction(tx -> {
            try (var keys = OwnKeys.decode(tx.get(OwnKeys.RECORD).orElseThrow())) {
                return keys.oneTimeCount();
            }
        });
        assertThat(left).isEqualTo(2);
        assertThat(warnings).isEmpty();
    }

    @Test
    void aRepeatedDeliveryOpensToTheSameResultAndAForgedOneChangesNothing() throws Exception {
        aliceStarts();
        var delivery = text("once");
        assertThat(bob.open(delivery, approved)).isInstanceOf(Result.Opened.class);
        assertThat(bob.open(delivery, approved)).isEqualTo(new Result.Opened(new MessageId(5, 6), "once", SENT));
        var next = text("next");
        byte[] forged = next.body().body();
        forged[forged.length - 1] ^= 1;
        List<byte[]> before = storeFiles();
        var result = bob.open(new Delivery(next.target(), "alice", 1, 2, next.id(), new SealedBody(1, forged)), approved);
        assertThat(result).isInstanceOf(Result.Unreadable.class);
        assertThat(storeFiles()).usingRecursiveComparison().isEqualTo(before);
        assertThat(bob.open(next, approved)).isEqualTo(new Result.Opened(new MessageId(5, 6), "next", SENT));
    }

    @Test
    void plaintextRelabelledAndMisdirectedDeliveriesAreNotShown() throws Exception {
        aliceStarts();
        var plain = new Delivery(new Target.Direct("bob"), "alice", 1, 1, new MessageId(1, 1),
                new SealedBody(0, "trust me".getBytes()));
        assertThat(bob.open(plain, approved)).isInstanceOf(Result.Unreadable.class)
                .asString().contains("not end-to-end encrypted");
        // written for carol, delivered to bob as his own conversation
        var forCarol = fromAlice(new Envelope.Text(ALICE, new MessageId(2, 2), "carol", "for carol", T), new Target.Direct("bob"));
        assertThat(bob.open(forCarol, approved)).isInstanceOf(Result.Unreadable.class);
        // a direct message presented as a room message
        var asRoom = fromAlice(new Envelope.Text(ALICE, new MessageId(3, 3), "bob", "psst", T), new Target.Room("ops"));
        assertThat(bob.open(asRoom, approved)).isInstanceOf(Result.Unreadable.class);
        // alice's session set-up replayed as another user's first contact: the sender is inside
        var other = text("who am i");
        assertThat(bob.open(new Delivery(other.target(), "mallory", 1, 9, other.id(), other.body()),
                Trust.Listing.NONE)).isInstanceOf(Result.Unreadable.class);
        assertThat(bob.open(other, approved)).isInstanceOf(Result.Opened.class);
        assertThat(warnings).isEmpty();
    }

    @Test
    void roomMessagesNeedTheSendersKeyFromThePairwiseSession() throws Exception {
        aliceStarts();
        try (var chain = SenderKeyState.create("ops", "alice/1", rng)) {
            var early = chain.encrypt(new Envelope.Text(ALICE, new MessageId(7, 0), "ops", "before the key", T).encode());
            var key = fromAlice(new Envelope.SenderKey(ALICE, chain.distribution()), new Target.Room("ops"));
            var msg = chain.encrypt(new Envelope.Text(ALICE, new MessageId(7, 1), "ops", "room text", T).encode());
            var asRoom = new Delivery(new Target.Room("ops"), "alice", 1, 3, new MessageId(7, 1),
                    new SealedBody(BodySealer.ALG_SENDER_KEY, msg.encode()));
            assertThat(bob.open(asRoom, approved)).isInstanceOf(Result.Unreadable.class);
            assertThat(bob.open(key, approved)).isInstanceOf(Result.Control.class);
            assertThat(bob.open(asRoom, approved)).isEqualTo(new Result.Opened(new MessageId(7, 1), "room text", SENT));
            var relabelled = new Delivery(new Target.Room("other"), "alice", 1, 3, new MessageId(7, 1),
                    new SealedBody(BodySealer.ALG_SENDER_KEY, msg.encode()));
            assertThat(bob.open(relabelled, approved)).isInstanceOf(Result.Unreadable.class);
            var otherSender = new Delivery(new Target.Room("ops"), "carol", 1, 3, new MessageId(7, 1),
                    new SealedBody(BodySealer.ALG_SENDER_KEY, msg.encode()));
            assertThat(bob.open(otherSender, approved)).isInstanceOf(Result.Unreadable.class);
            var before = new Delivery(new Target.Room("ops"), "alice", 1, 2, new MessageId(7, 0),
                    new SealedBody(BodySealer.ALG_SENDER_KEY, early.encode()));
            assertThat(bob.open(before, approved)).isInstanceOf(Result.Unreadable.class);
        }
    }

    @Test
    void aNewIdentityForAKnownDeviceIsNotShownWithoutItsAccountsApproval() throws Exception {
        aliceStarts();
        assertThat(bob.open(text("first"), approved)).isInstanceOf(Result.Opened.class);
        // the "same" device alice/1 now starts a session with another identity
        var impostor = IdentityKeys.generate(rng);
        var bundle = new PreKeyBundle(crumbhub.crypto.identity.IdentityPublicKey.decode(bobKeys.identity()),
                SignedPreKey.decode(bobKeys.signedPreKey()), KemPreKey.decode(bobKeys.kemPreKey()), Optional.empty());
        try (var initiation = Pqxdh.initiate(impostor, bundle, rng)) {
            aliceSession = RatchetSession.initiator(initiation, rng);
        }
        assertThat(bob.open(text("it is me, honest"), approved)).isInstanceOfSatisfying(Result.Unreadable.class,
                u -> assertThat(u.reason()).contains("alice's device 1").contains("never approved"));
    }

    @Test
    void aDeviceNotApprovedByItsAccountIsNotShownAsItsUsers() throws Exception {
        aliceStarts();
        var delivery = text("hi bob");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> bob.open(delivery, null))
                .as("nothing known about alice: her account's listing is needed")
                .isInstanceOf(BodyOpener.NeedsListing.class);
        var unapproved = new Trust.Listing(approved.account(), java.util.Map.of());
        assertThat(bob.open(delivery, unapproved)).isInstanceOfSatisfying(Result.Unreadable.class,
                u -> assertThat(u.reason()).contains("alice's device 1").contains("never approved"));
        assertThat(bob.open(delivery, approved)).isInstanceOf(Result.Opened.class);
        assertThat(bob.open(text("again"), null)).as("approved devices are remembered").isInstanceOf(Result.Opened.class);
    }
}
