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
import crumbhub.testkit.ManualTime;
import crumbhub.wire.KeyFrame;
import crumbhub.wire.MessageId;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Skipped message keys expire by age on bob's device, by the client's injected clock
 * (docs/crypto.md, "Skipped keys"): a message that arrives out of order within the age still
 * opens; after it, its key is gone, even when its conversation stayed idle.
 */
class SkippedKeyExpiryTest {
    private static final DeviceRef ALICE = new DeviceRef("alice", 1);
    private static final Duration JUST_INSIDE = Duration.ofMillis(SkippedKeyExpiry.MAX_AGE_MS - 60_000);
    private static final Duration PAST = Duration.ofMillis(SkippedKeyExpiry.MAX_AGE_MS + 60_000);

    @TempDir
    Path tmp;
    private final SecureRandom rng = new SecureRandom();
    private final ManualTime time = new ManualTime();
    private final List<String> warnings = new ArrayList<>();
    private final IdentityKeys alice = IdentityKeys.generate(rng);
    private Home home;
    private BodyOpener bob;
    private RatchetSession aliceSession;
    private long seq;
    /** The server's listing of alice's account: her account identity approved her device 1. */
    private Trust.Listing approved;

    @BeforeEach
    void setUp() throws Exception {
        home = Home.open(tmp.resolve("bob"), prompt -> null, rng, 1000);
        var store = new E2eStore(home, rng);
        bob = new BodyOpener(new Self("bob", 1, store, rng, time.clock(), warnings::add));
        KeyFrame.KeysPublish bobKeys = store.transaction(tx -> {
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
        try (var account = crumbhub.crypto.account.AccountKeyPair.generate(1, rng)) {
            approved = new Trust.Listing(account.publicKey().encode(), java.util.Map.of(1,
                    crumbhub.crypto.account.DeviceCertificate.issue(account, "alice", 1, alice.publicKey().encode(), rng)
                            .encode()));
        }
    }

    @AfterEach
    void tearDown() {
        home.close();
    }

    private Delivery direct(String text) {
        var id = new MessageId(9, ++seq);
        var envelope = new Envelope.Text(ALICE, id, "bob", text, time.instant().toEpochMilli()).encode();
        var message = aliceSession.encrypt(envelope);
        byte[] body = new RatchetBody(aliceSession.pendingInitialMessage(), message).encode();
        return new Delivery(new Target.Direct("bob"), "alice", 1, seq, id, new SealedBody(BodySealer.ALG_RATCHET, body));
    }

    /** A delivery that opens nothing (not encrypted): every open sweeps, whatever it carries. */
    private Result somethingElseArrives() {
        return bob.open(new Delivery(new Target.Direct("bob"), "mallory", 7, ++seq, new MessageId(0, seq),
                new SealedBody(0, new byte[] {1})), approved);
    }

    @Test
    void aLateDirectMessageOpensWithinTheAgeAndNotAfterIt() {
        assertThat(bob.open(direct("one"), approved)).isInstanceOf(Result.Opened.class);
        var late = direct("two, delayed");
        var laterStill = direct("three, delayed");
        assertThat(bob.open(direct("four"), approved)).isInstanceOf(Result.Opened.class);
        time.advance(JUST_INSIDE);
        somethingElseArrives();
        assertThat(bob.open(late, approved)).as("its key was kept").isInstanceOf(Result.Opened.class);
        time.advance(PAST.minus(JUST_INSIDE));
        somethingElseArrives();
        assertThat(bob.open(laterStill, approved)).as("its key expired while the conversation was idle")
                .isInstanceOf(Result.Unreadable.class);
    }

    @Test
    void aLateRoomMessageOpensWithinTheAgeAndNotAfterIt() throws Exception {
        assertThat(bob.open(direct("hello"), approved)).isInstanceOf(Result.Opened.class);
        try (var chain = SenderKeyState.create("ops", "alice/1", rng)) {
            var key = new Envelope.SenderKey(ALICE, chain.distribution()).encode();
            var keyMessage = aliceSession.encrypt(key);
            assertThat(bob.open(new Delivery(new Target.Room("ops"), "alice", 1, ++seq, new MessageId(8, 0),
                    new SealedBody(BodySealer.ALG_RATCHET, new RatchetBody(Optional.empty(), keyMessage).encode())), approved))
                    .isInstanceOf(Result.Control.class);
            var skipped = new ArrayList<Delivery>();
            for (int i = 0; i < 3; i++) {
                var id = new MessageId(8, 10 + i);
                var m = chain.encrypt(new Envelope.Text(ALICE, id, "ops", "room " + i, time.instant().toEpochMilli()).encode());
                skipped.add(new Delivery(new Target.Room("ops"), "alice", 1, ++seq, id,
                        new SealedBody(BodySealer.ALG_SENDER_KEY, m.encode())));
            }
            assertThat(bob.open(skipped.get(2), approved)).isInstanceOf(Result.Opened.class);
            time.advance(JUST_INSIDE);
            somethingElseArrives();
            assertThat(bob.open(skipped.get(0), approved)).isInstanceOf(Result.Opened.class);
            time.advance(PAST.minus(JUST_INSIDE));
            somethingElseArrives();
            assertThat(bob.open(skipped.get(1), approved)).isInstanceOf(Result.Unreadable.class);
        }
    }
}
