package crumbhub.server.core;

import static crumbhub.server.core.Harness.cast;
import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.crypto.identity.IdentityKeys;
import crumbhub.crypto.pqxdh.KemPreKeyPair;
import crumbhub.crypto.pqxdh.OneTimePreKeyPair;
import crumbhub.crypto.pqxdh.SignedPreKeyPair;
import crumbhub.server.domain.Domain;
import crumbhub.server.domain.RegistrationMode;
import crumbhub.wire.AuthFrame;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.DeviceBody;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.Frame;
import crumbhub.wire.KeyFrame;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.MessageId;
import crumbhub.wire.TargetKind;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Protocol §6 through the core: uploads, identity lists, bundles and to-device messages. */
class KeyRequestsTest {
    private final SecureRandom rng = new SecureRandom();
    private Harness h;

    @AfterEach
    void close() throws InterruptedException {
        if (h != null) {
            h.close();
        }
    }

    private record Keys(IdentityKeys identity, byte[] spk, byte[] kpk) {
        Frame publish(int requestId, int firstOneTime, int count, SecureRandom rng) {
            var oneTime = new ArrayList<byte[]>();
            if (count > 0) {
                for (var k : OneTimePreKeyPair.generateBatch(firstOneTime, count, rng)) {
                    oneTime.add(k.publicPart().encode());
                }
            }
            return new KeyFrame.KeysPublish(requestId, identity.publicKey().encode(), spk, kpk, oneTime);
        }
    }

    private Keys keys() {
        var id = IdentityKeys.generate(rng);
        return new Keys(id, SignedPreKeyPair.generate(id, 1, rng).publicPart().encode(),
                KemPreKeyPair.generate(id, 1, rng).publicPart().encode());
    }

    private static ErrorCode code(Frame f) {
        return cast(f, ControlFrame.Error.class).errorCode().orElseThrow();
    }

    @Test
    void uploadIsCheckedAndAnsweredWithThePoolSize() {
        h = new Harness(true, RegistrationMode.OPEN);
        var bob = h.connect().register("bob");
        var keys = keys();
        assertThat(cast(bob.call(id -> keys.publish(id, 1, 30, rng)), KeyFrame.KeysStatus.class).oneTimePreKeys())
                .isEqualTo(30);
        byte[] forged = keys.spk().clone();
        forged[forged.length - 2] ^= 1;
        assertThat(code(bob.call(id -> new KeyFrame.KeysPublish(id, keys.identity().publicKey().encode(), forged,
                keys.kpk(), List.of())))).isEqualTo(ErrorCode.INVALID_KEY);
        var other = keys();
        assertThat(code(bob.call(id -> other.publish(id, 100, 1, rng)))).isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void bundlesHandOutOneTimeKeysOnceAndTellTheOwnerWhenLow() throws Exception {
        h = new Harness(true, RegistrationMode.OPEN);
        var bob = h.connect().register("bob");
        var alice = h.connect().register("alice");
        int pool = Domain.ONE_TIME_PREKEYS_LOW + 1;
        cast(bob.call(id -> keys().publish(id, 1, pool, rng)), KeyFrame.KeysStatus.class);
        var seen = new java.util.HashSet<String>();
        for (int i = 0; i < 2; i++) {
            var reply = cast(alice.call(id -> new KeyFrame.KeyBundles(id, "bob", List.of(1, 5))),
                    KeyFrame.KeyBundlesReply.class);
            assertThat(reply.bundles()).hasSize(1);
            assertThat(seen.add(java.util.HexFormat.of().formatHex(reply.bundles().get(0).oneTimePreKey()))).isTrue();
        }
        var push = bob.peer.next(KeyFrame.KeysStatus.class);
        assertThat(push.requestId()).isZero();
        assertThat(push.oneTimePreKeys()).isEqualTo(pool - 2);
        var listed = cast(alice.call(id -> new KeyFrame.DeviceKeys(id, List.of("bob", "carol"))),
                KeyFrame.DeviceKeysReply.class);
        assertThat(listed.users().get(0).devices()).hasSize(1);
        assertThat(listed.users().get(1).devices()).isEmpty();
        var again = h.connect(1, "10.0.0.1");
        cast(again.call(id -> new AuthFrame.Resume(id, "bob", 1, bob.auth.token())), AuthFrame.AuthOk.class);
        assertThat(again.peer.next(KeyFrame.KeysStatus.class).oneTimePreKeys()).isEqualTo(pool - 2);
    }

    @Test
    void aBundleIsAnsweredOnlyOnceTheTakenKeyIsDurable() throws Exception {
        h = new Harness(true, RegistrationMode.OPEN);
        var bob = h.connect().register("bob");
        var alice = h.connect().register("alice");
        cast(bob.call(id -> keys().publish(id, 1, 50, rng)), KeyFrame.KeysStatus.class);
        h.log.auto(false);
        alice.request(id -> new KeyFrame.KeyBundles(id, "bob", List.of(1)));
        h.until(() -> h.log.pendingCount() >= 1);
        assertThat(alice.peer.drain()).isEmpty();
        h.log.flush();
        assertThat(alice.peer.next(KeyFrame.KeyBundlesReply.class).bundles().get(0).oneTimePreKey()).isNotEmpty();
    }

    @Test
    void eachDeviceReceivesOnlyItsOwnCiphertext() {
        h = new Harness(true, RegistrationMode.OPEN);
        var alice = h.connect().register("alice");
        var bob = h.connect().register("bob");
        var bobPhone = h.connect().login("bob", "password-bob");
        var ok = cast(alice.call(id -> new MessageFrame.SendDevices(id, TargetKind.DIRECT, "bob", new MessageId(1, 2), 1,
                List.of(new DeviceBody("bob", 1, new byte[] {1}), new DeviceBody("bob", 2, new byte[] {2})))),
                MessageFrame.SendOk.class);
        var toBob = new ArrayList<MessageFrame.Deliver>();
        var toPhone = new ArrayList<MessageFrame.Deliver>();
        bob.sync(toBob);
        bobPhone.sync(toPhone);
        assertThat(toBob).singleElement().satisfies(d -> {
            assertThat(d.body()).containsExactly(1);
            assertThat(d.kind()).isEqualTo(TargetKind.DIRECT);
            assertThat(d.target()).isEqualTo("bob");
            assertThat(d.from()).isEqualTo("alice");
            assertThat(d.alg()).isEqualTo(1);
        });
        assertThat(toPhone).singleElement().satisfies(d -> assertThat(d.body()).containsExactly(2));
        assertThat(ok.seq()).isEqualTo(Math.max(toBob.get(0).seq(), toPhone.get(0).seq()));
        var dup = cast(alice.call(id -> new MessageFrame.SendDevices(id, TargetKind.DIRECT, "bob", new MessageId(1, 2), 1,
                List.of(new DeviceBody("bob", 1, new byte[] {9})))), MessageFrame.SendOk.class);
        assertThat(dup.seq()).isEqualTo(ok.seq());
        assertThat(code(alice.call(id -> new MessageFrame.SendDevices(id, TargetKind.ROOM, "nowhere", new MessageId(1, 3), 1,
                List.of())))).isEqualTo(ErrorCode.NOT_FOUND);
    }
}
