package crumbhub.server.domain;

import crumbhub.crypto.account.RoomStatement;
import java.time.Duration;

/** A history that produces every kind of change, for codec and snapshot tests. */
final class History {
    private History() {}

    static Fixture build() {
        var f = new Fixture();
        try {
            Device alice = f.register("alice");
            String code = f.domain.createInvite(2, Duration.ofDays(1));
            f.domain.register(RegistrationMode.INVITE, "bob", code, "hash-bob", "bob-pc", f.key());
            Device bob = f.state.user("bob").device(1);
            Device carol = f.register("carol");
            Device alicePhone = f.newDevice(alice.user());
            var rng = new java.security.SecureRandom();
            f.domain.keys().publish(alice, new TestKeys(rng).upload(1, 3));
            var bobKeys = new TestKeys(rng);
            f.domain.keys().publish(bob, bobKeys.upload(1, 2));
            f.domain.keys().publish(bob, bobKeys.upload(10, 1));
            f.domain.keys().takeBundles("bob", java.util.List.of(1));
            f.domain.keys().publishKem(bob, bobKeys.kemUpload(1, 3));
            f.domain.keys().takeBundles("bob", java.util.List.of(1), d -> true, true);
            f.domain.keys().publish(alicePhone, new TestKeys(rng).upload(1, 1));
            f.domain.accounts().publish(alice, new byte[] {1, 1, 1}, new byte[] {2, 2},
                    java.util.List.of(new AccountRules.Certificate(alice.id(), new byte[] {3, 3, 3})));
            f.domain.accounts().publish(alice, new byte[0], new byte[0],
                    java.util.List.of(new AccountRules.Certificate(alicePhone.id(), new byte[] {4})));
            f.domain.rooms().create(alice.user(), "ops");
            f.domain.rooms().invite(alice.user(), "ops", "bob");
            f.domain.rooms().invite(alice.user(), "ops", "carol");
            f.domain.rooms().join(bob.user(), "ops");
            f.domain.leaseSeqs(0, 100);
            f.domain.sendToDevices(alice, Kind.ROOM, "ops", f.id(), 1, java.util.List.of(
                    new Change.DeviceEntry("bob", bob.id(), new byte[] {1, 2}),
                    new Change.DeviceEntry("alice", alicePhone.id(), new byte[] {3})));
            for (int i = 0; i < 5; i++) {
                f.tick();
                f.sendRoom(alice, "ops", "room " + i);
                f.sendDirect(bob, "carol", "dm " + i);
            }
            f.domain.acknowledge(bob, 4, f.state.lastSeq());
            f.domain.acknowledge(alicePhone, 2, f.state.lastSeq());
            f.domain.changePassword(carol.user(), "rehashed");
            f.domain.rooms().join(carol.user(), "ops");
            f.sendRoom(carol, "ops", "hello");
            f.domain.rooms().kick(alice.user(), "ops", "bob");
            f.sendRoom(alice, "ops", "bob is gone");
            byte[] deleted = f.id();
            f.domain.send(alice, Kind.DIRECT, "carol", deleted, 1, new byte[] {4, 5, 6});
            f.domain.retract(alice, deleted);
            f.domain.seen(bob);
            f.domain.setBanned("bob", true);
            f.domain.revokeDevice(alice.user(), alicePhone.id());
            f.domain.login(alice.user(), "laptop", alice.publicKey());
            f.time.advance(Duration.ofDays(3));
            f.sendDirect(alice, "alice", "note to self");
            f.domain.createInvite(1, Duration.ofHours(1));
            f.domain.expireBefore(f.clock.millis() - Duration.ofDays(1).toMillis());
            f.domain.rooms().leave(carol.user(), "ops");
            f.domain.rooms().create(carol.user(), "empty");
            f.domain.rooms().leave(carol.user(), "empty");
            f.sendDirect(carol, "alice", "late");
            f.domain.leaseSeqs(f.state.seqLease(), f.state.seqLease() + 100); // as after a restart
            f.sendDirect(carol, "alice", "after a skip");
            // a signed room, and a room from before the log signed by its owner as it stands
            var signed = RoomStatement.Action.CREATE;
            f.domain.rooms().signed(carol.user(), Statements.next(f.state, "carol", "signed", signed, ""));
            f.domain.rooms().signed(carol.user(), Statements.next(f.state, "carol", "signed",
                    RoomStatement.Action.INVITE, "alice"));
            f.domain.rooms().signed(alice.user(), Statements.next(f.state, "alice", "signed",
                    RoomStatement.Action.JOIN, ""));
            f.domain.rooms().signed(alice.user(), Statements.next(f.state, "alice", "ops", signed, ""));
        } catch (Rejected e) {
            throw new AssertionError(e);
        }
        return f;
    }
}
