package crumbhub.server.core;

import static crumbhub.server.core.Harness.cast;
import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.crypto.identity.IdentityKeys;
import crumbhub.crypto.pqxdh.KemPreKeyPair;
import crumbhub.crypto.pqxdh.SignedPreKeyPair;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.ChangeCodec;
import crumbhub.server.domain.Domain;
import crumbhub.server.domain.RegistrationMode;
import crumbhub.server.domain.SnapshotCodec;
import crumbhub.server.domain.State;
import crumbhub.wire.AuthFrame;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.Frame;
import crumbhub.wire.KemKeyFrame;
import crumbhub.wire.KeyFrame;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One-time ML-KEM prekeys through the core (protocol §6): uploads, bundles, durability across a restart. */
class KemPreKeyRequestsTest {
    private final SecureRandom rng = new SecureRandom();
    private Harness h;

    @AfterEach
    void close() throws InterruptedException {
        if (h != null) {
            h.close();
        }
    }

    /** A device's identity, its KEYS_PUBLISH (no one-time X25519 keys) and signed one-time ML-KEM prekeys. */
    private final class Keys {
        final IdentityKeys identity = IdentityKeys.generate(rng);

        Frame publish(int requestId) {
            return new KeyFrame.KeysPublish(requestId, identity.publicKey().encode(),
                    SignedPreKeyPair.generate(identity, 1, rng).publicPart().encode(),
                    KemPreKeyPair.generate(identity, 1, rng).publicPart().encode(), List.of());
        }

        Frame publishKem(int requestId, int firstId, int count) {
            var keys = new ArrayList<byte[]>();
            for (var k : KemPreKeyPair.generateOneTimeBatch(identity, firstId, count, rng)) {
                keys.add(k.publicPart().encode());
                k.close();
            }
            return new KemKeyFrame.KemPreKeysPublish(requestId, identity.publicKey().encode(), keys);
        }
    }

    private static int pool(Frame f) {
        return cast(f, KemKeyFrame.KemPreKeysStatus.class).oneTimeKemPreKeys();
    }

    private static String takeOne(Harness.Client alice) {
        var reply = cast(alice.call(id -> new KemKeyFrame.KeyBundlesPq(id, "bob", List.of(1))), KemKeyFrame.KeyBundlesPqReply.class);
        assertThat(reply.bundles()).hasSize(1);
        return HexFormat.of().formatHex(reply.bundles().get(0).oneTimeKemPreKey());
    }

    @Test
    void uploadsAreCheckedAgainstTheDevicesIdentityAndAnsweredWithThePoolSize() {
        h = new Harness(true, RegistrationMode.OPEN);
        var bob = h.connect().register("bob");
        var keys = new Keys();
        assertThat(cast(bob.call(id -> keys.publishKem(id, 1, 1)), ControlFrame.Error.class).errorCode())
                .contains(ErrorCode.WRONG_STATE);
        cast(bob.call(keys::publish), KeyFrame.KeysStatus.class);
        assertThat(pool(bob.call(id -> keys.publishKem(id, 1, 30)))).isEqualTo(30);
        assertThat(pool(bob.call(id -> keys.publishKem(id, 31, 0)))).as("an empty upload asks for the size").isEqualTo(30);
        var other = new Keys();
        assertThat(cast(bob.call(id -> other.publishKem(id, 100, 1)), ControlFrame.Error.class).errorCode())
                .contains(ErrorCode.FORBIDDEN);
        var lastResort = new KemKeyFrame.KemPreKeysPublish(0, keys.identity.publicKey().encode(),
                List.of(KemPreKeyPair.generate(keys.identity, 5, rng).publicPart().encode()));
        assertThat(cast(bob.call(id -> new KemKeyFrame.KemPreKeysPublish(id, lastResort.identity(),
                lastResort.oneTimeKemPreKeys())), ControlFrame.Error.class).errorCode()).contains(ErrorCode.INVALID_KEY);
    }

    @Test
    void aOneTimeKemPreKeyIsNeverHandedOutTwiceEvenAcrossARestart() throws Exception {
        h = new Harness(true, RegistrationMode.OPEN);
        var bob = h.connect().register("bob");
        var alice = h.connect().register("alice");
        var keys = new Keys();
        cast(bob.call(keys::publish), KeyFrame.KeysStatus.class);
        int pool = Domain.ONE_TIME_KEM_PREKEYS_LOW + 2;
        assertThat(pool(bob.call(id -> keys.publishKem(id, 1, pool)))).isEqualTo(pool);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            assertThat(seen.add(takeOne(alice))).isTrue();
        }
        var pushes = bob.peer.drain().stream().filter(f -> f instanceof KemKeyFrame.KemPreKeysStatus).toList();
        assertThat(pushes).as("the owner is told once the pool is low")
                .containsExactly(new KemKeyFrame.KemPreKeysStatus(0, pool - 3));

        // the server restarts from its durable records (and, the second time, from a snapshot of them)
        var records = List.copyOf(h.log.records);
        var aliceToken = alice.auth.token();
        h.close();
        for (boolean fromSnapshot : new boolean[] {false, true}) {
            State recovered = new State();
            for (byte[] r : records) {
                recovered.apply(ChangeCodec.decode(r));
            }
            if (fromSnapshot) {
                recovered = SnapshotCodec.decode(SnapshotCodec.encode(recovered));
            }
            h = new Harness(true, ServerOptions.builder().registration(RegistrationMode.OPEN), recovered);
            var again = h.connect(2, "10.0.0.2");
            cast(again.call(id -> new AuthFrame.Resume(id, "alice", 1, aliceToken)), AuthFrame.AuthOk.class);
            String next = takeOne(again);
            assertThat(next).as("restored from %s", fromSnapshot ? "a snapshot" : "the log").isNotEmpty();
            assertThat(seen).doesNotContain(next);
            h.close();
            h = null;
        }
    }

    @Test
    void withThePoolEmptyBundlesComeWithoutAOneTimeKemPreKeyAndTheOldFrameTakesNone() {
        h = new Harness(true, RegistrationMode.OPEN);
        var bob = h.connect().register("bob");
        var alice = h.connect().register("alice");
        var keys = new Keys();
        cast(bob.call(keys::publish), KeyFrame.KeysStatus.class);
        pool(bob.call(id -> keys.publishKem(id, 1, 1)));
        var classic = cast(alice.call(id -> new KeyFrame.KeyBundles(id, "bob", List.of(1))), KeyFrame.KeyBundlesReply.class);
        assertThat(classic.bundles()).hasSize(1);
        assertThat(takeOne(alice)).isNotEmpty();
        assertThat(takeOne(alice)).isEmpty();
    }

    @Test
    void aPqBundleIsAnsweredOnlyOnceTheTakenKeyIsDurable() {
        h = new Harness(true, RegistrationMode.OPEN);
        var bob = h.connect().register("bob");
        var alice = h.connect().register("alice");
        var keys = new Keys();
        cast(bob.call(keys::publish), KeyFrame.KeysStatus.class);
        pool(bob.call(id -> keys.publishKem(id, 1, 15)));
        h.log.auto(false);
        alice.request(id -> new KemKeyFrame.KeyBundlesPq(id, "bob", List.of(1)));
        h.until(() -> h.log.pendingCount() >= 1);
        assertThat(alice.peer.drain()).isEmpty();
        h.log.flush();
        assertThat(alice.peer.next(KemKeyFrame.KeyBundlesPqReply.class).bundles().get(0).oneTimeKemPreKey()).isNotEmpty();
    }
}
