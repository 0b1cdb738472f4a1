package crumbhub.server;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.crypto.identity.IdentityKeys;
import crumbhub.crypto.pqxdh.KemPreKeyPair;
import crumbhub.crypto.pqxdh.OneTimePreKeyPair;
import crumbhub.crypto.pqxdh.SignedPreKeyPair;
import crumbhub.server.config.AbuseLimits;
import crumbhub.server.config.HostPort;
import crumbhub.server.config.Rate;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.RegistrationMode;
import crumbhub.wire.AccountFrame;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.Frame;
import crumbhub.wire.KeyFrame;
import crumbhub.wire.RoomFrame;
import crumbhub.wire.loop.EventLoopGroup;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 findings 6 and 7 (issue 13 item 7) on a real server: looking up users who share no room
 * or conversation is rate-limited per account, and one-time prekeys cannot be drained, per
 * requester (a clear {@code throttled}) and per target device (bundles then come without one, the
 * signed prekeys keeping sessions possible).
 */
class LookupLimitsTest {
    private static final SecureRandom RNG = new SecureRandom();

    @TempDir
    Path data;

    private ServerOptions options() {
        var abuse = AbuseLimits.defaults().withStrangerLookups(Rate.of(5, Duration.ofHours(1)))
                .withBundles(Rate.of(8, Duration.ofHours(1)), Rate.of(3, Duration.ofHours(1)));
        return ServerOptions.builder().registration(RegistrationMode.OPEN).dataDir(data)
                .listen(new HostPort("127.0.0.1", 0)).passwordIterations(1_000).loopThreads(1).hashThreads(1)
                .abuse(abuse).build();
    }

    private static Frame lookup(TestClient c, String... users) throws Exception {
        return c.call(id -> new KeyFrame.DeviceKeys(id, List.of(users)));
    }

    @Test
    void listingUsersWhoShareNothingIsThrottledWhileRoomMatesAndContactsStayFree() throws Exception {
        try (var loops = new EventLoopGroup("test-client", 1); var s = Server.start(options());
             var alice = new TestClient(s.address(), loops.next(), TestClient.newKey());
             var bob = new TestClient(s.address(), loops.next(), TestClient.newKey());
             var carol = new TestClient(s.address(), loops.next(), TestClient.newKey())) {
            alice.register("alice", "a long password");
            bob.register("bob", "a long password");
            carol.register("carol", "a long password");
            alice.call(id -> new RoomFrame.RoomCreate(id, "team"), ControlFrame.Ok.class);
            alice.call(id -> new RoomFrame.RoomInvite(id, "team", "bob"), ControlFrame.Ok.class);

            assertThat(lookup(alice, "carol", "user1", "user2", "user3", "user4"))
                    .isInstanceOf(KeyFrame.DeviceKeysReply.class);
            var refused = lookup(alice, "user5");
            assertThat(refused).isInstanceOfSatisfying(ControlFrame.Error.class, e -> {
                assertThat(e.errorCode()).contains(ErrorCode.THROTTLED);
                assertThat(e.message()).startsWith(
                        "too many lookups of users you share no room or conversation with; try again in ");
            });
            assertThat(lookup(alice, "bob")).as("invited to alice's room").isInstanceOf(KeyFrame.DeviceKeysReply.class);
            assertThat(lookup(alice, "carol", "alice")).as("a contact now, and herself")
                    .isInstanceOf(KeyFrame.DeviceKeysReply.class);
            for (int i = 0; i < 5; i++) {
                assertThat(lookup(carol, "user" + (10 + i))).isInstanceOf(KeyFrame.DeviceKeysReply.class);
            }
            assertThat(lookup(carol, "alice")).as("alice looked carol up: a conversation both ways")
                    .isInstanceOf(KeyFrame.DeviceKeysReply.class);
        }
    }

    @Test
    void askingForTheAccountIdentitiesOfStrangersSharesTheLookupBudget() throws Exception {
        try (var loops = new EventLoopGroup("test-client", 1); var s = Server.start(options());
             var alice = new TestClient(s.address(), loops.next(), TestClient.newKey());
             var bob = new TestClient(s.address(), loops.next(), TestClient.newKey())) {
            alice.register("alice", "a long password");
            bob.register("bob", "a long password");
            for (int i = 0; i < 5; i++) {
                String name = "user" + i;
                assertThat(alice.call(id -> new AccountFrame.AccountKeys(id, name, List.of())))
                        .isInstanceOf(AccountFrame.AccountKeysReply.class);
            }
            var refused = alice.call(id -> new AccountFrame.AccountKeys(id, "bob", List.of()));
            assertThat(refused).as("whether an identity comes back tells whether bob exists")
                    .isInstanceOfSatisfying(ControlFrame.Error.class,
                            e -> assertThat(e.errorCode()).contains(ErrorCode.THROTTLED));
            assertThat(alice.call(id -> new AccountFrame.AccountKeys(id, "alice", List.of())))
                    .as("her own account").isInstanceOf(AccountFrame.AccountKeysReply.class);
        }
    }

    @Test
    void oneTimePrekeysCannotBeDrainedByOneAccount() throws Exception {
        try (var loops = new EventLoopGroup("test-client", 1); var s = Server.start(options());
             var bob = new TestClient(s.address(), loops.next(), TestClient.newKey());
             var mallory = new TestClient(s.address(), loops.next(), TestClient.newKey())) {
            bob.register("bob", "a long password");
            mallory.register("mallory", "a long password");
            var identity = IdentityKeys.generate(RNG);
            byte[] spk = SignedPreKeyPair.generate(identity, 1, RNG).publicPart().encode();
            byte[] kpk = KemPreKeyPair.generate(identity, 1, RNG).publicPart().encode();
            var oneTime = new ArrayList<byte[]>();
            for (var k : OneTimePreKeyPair.generateBatch(1, 50, RNG)) {
                oneTime.add(k.publicPart().encode());
            }
            assertThat(bob.call(id -> new KeyFrame.KeysPublish(id, identity.publicKey().encode(), spk, kpk, oneTime),
                    KeyFrame.KeysStatus.class).oneTimePreKeys()).isEqualTo(50);
            bob.pushes.clear();

            var got = new ArrayList<Integer>();
            for (int i = 0; i < 8; i++) {
                var reply = mallory.call(id -> new KeyFrame.KeyBundles(id, "bob", List.of(1)), KeyFrame.KeyBundlesReply.class);
                assertThat(reply.bundles()).singleElement().satisfies(b -> assertThat(b.signedPreKey()).isNotEmpty());
                got.add(reply.bundles().getFirst().oneTimePreKey().length);
            }
            assertThat(got.subList(0, 3)).as("three one-time prekeys per device per hour").allMatch(n -> n > 0);
            assertThat(got.subList(3, 8)).as("then bundles without one").containsOnly(0);
            var refused = mallory.call(id -> new KeyFrame.KeyBundles(id, "bob", List.of(1)), ControlFrame.Error.class);
            assertThat(refused.errorCode()).contains(ErrorCode.THROTTLED);
            assertThat(refused.message()).startsWith("too many key bundle requests from your account; try again in ");
            assertThat(bob.call(id -> new KeyFrame.KeysPublish(id, identity.publicKey().encode(), spk, kpk, List.of()),
                    KeyFrame.KeysStatus.class).oneTimePreKeys()).as("bob's pool").isEqualTo(47);
        }
    }
}
