package crumbhub.server.core;

import static crumbhub.server.core.Harness.cast;
import static crumbhub.server.core.Harness.text;
import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.server.domain.RegistrationMode;
import crumbhub.wire.AuthFrame;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.DeviceFrame;
import crumbhub.wire.DeviceToken;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.Frame;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.MessageId;
import crumbhub.wire.RoomFrame;
import crumbhub.wire.TargetKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServerCoreTest {
    private Harness h;

    @AfterEach
    void close() throws InterruptedException {
        if (h != null) {
            h.close();
        }
    }

    private static ErrorCode code(Frame f) {
        return cast(f, ControlFrame.Error.class).errorCode().orElseThrow();
    }

    @Test
    void onlyAuthFramesArePossibleBeforeLoginAndPingAlways() {
        h = new Harness(true, RegistrationMode.OPEN);
        var c = h.connect();
        assertThat(code(c.call(MessageFrame.Sync::new))).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(code(c.call(id -> new RoomFrame.RoomCreate(id, "x")))).isEqualTo(ErrorCode.UNAUTHORIZED);
        int id = c.request(x -> new ControlFrame.Ping(x, 42));
        assertThat(c.peer.next()).isEqualTo(new ControlFrame.Pong(id, 42));
        assertThat(code(c.call(id2 -> new AuthFrame.Register(id2, "Bad Name", "password".getBytes(), "", "d"))))
                .isEqualTo(ErrorCode.INVALID_NAME);
    }

    @Test
    void unknownFrameTypeIsUnsupportedAndConnectionStays() {
        h = new Harness(true, RegistrationMode.OPEN);
        var c = h.connect().register("alice");
        assertThat(code(c.call(id -> new Frame.Unknown(id, 0x5a)))).isEqualTo(ErrorCode.UNSUPPORTED);
        assertThat(code(c.call(id -> new MessageFrame.SendOk(id, 1, 1)))).isEqualTo(ErrorCode.UNSUPPORTED);
        assertThat(c.peer.closed).isFalse();
        assertThat(c.call(RoomFrame.RoomList::new)).isInstanceOf(RoomFrame.RoomListReply.class);
    }

    @Test
    void registerRepliesOnlyOnceDurable() throws Exception {
        h = new Harness(false, RegistrationMode.OPEN);
        var c = h.connect();
        c.request(id -> new AuthFrame.Register(id, "alice", "secret password".getBytes(), "", "laptop"));
        h.until(() -> h.log.pendingCount() >= 2);
        assertThat(c.peer.drain()).isEmpty();
        h.log.flush();
        var ok = c.peer.next(AuthFrame.AuthOk.class);
        assertThat(ok.user()).isEqualTo("alice");
        assertThat(ok.deviceId()).isEqualTo(1);
    }

    @Test
    void secondLoginWithSameKeyResumesDeviceAndTokenResumes() {
        h = new Harness(true, RegistrationMode.OPEN);
        var first = h.connect(9, "10.1.1.1").register("alice");
        var again = h.connect(9, "10.1.1.1").login("alice", "password-alice");
        assertThat(again.auth.deviceId()).isEqualTo(first.auth.deviceId());
        var resumed = h.connect(9, "10.1.1.1");
        var ok = cast(resumed.call(id -> new AuthFrame.Resume(id, "alice", 1, again.auth.token())), AuthFrame.AuthOk.class);
        assertThat(ok.token()).isEqualTo(again.auth.token());
        var otherKey = h.connect(10, "10.1.1.1");
        assertThat(code(otherKey.call(id -> new AuthFrame.Resume(id, "alice", 1, again.auth.token()))))
                .isEqualTo(ErrorCode.BAD_CREDENTIALS);
    }

    @Test
    void failedLoginsAreDelayedThenThrottledAndUnknownUsersLookTheSame() throws Exception {
        h = new Harness(true, RegistrationMode.OPEN);
        h.connect().register("alice");
        var c = h.connect();
        int first = c.request(id -> new AuthFrame.Login(id, "alice", "nope".getBytes(), "d"));
        assertThat(c.peer.drain()).as("the refusal is held back").isEmpty();
        var sameAddress = h.connect(9, c.peer.host);
        assertThat(code(sameAddress.call(id -> new AuthFrame.Login(id, "alice", "password-alice".getBytes(), "d"))))
                .isEqualTo(ErrorCode.THROTTLED);
        h.advance(Duration.ofMillis(199));
        assertThat(c.peer.drain()).as("still held back 199 ms later").isEmpty();
        h.advance(Duration.ofMillis(1));
        var wrong = c.peer.next();
        assertThat(wrong.requestId()).isEqualTo(first);
        assertThat(code(wrong)).isEqualTo(ErrorCode.BAD_CREDENTIALS);
        var other = h.connect();
        var unknown = other.call(id -> new AuthFrame.Login(id, "nobody", "x".getBytes(), "d"));
        assertThat(cast(unknown, ControlFrame.Error.class).code()).isEqualTo(cast(wrong, ControlFrame.Error.class).code());
        assertThat(cast(unknown, ControlFrame.Error.class).message()).isEqualTo(cast(wrong, ControlFrame.Error.class).message());
    }

    @Test
    void throttleDelayGrowsAndCorrectPasswordWorksAfterwards() throws Exception {
        h = new Harness(true, RegistrationMode.OPEN);
        h.connect().register("alice");
        var c = h.connect();
        c.request(id -> new AuthFrame.Login(id, "alice", "bad".getBytes(), "d"));
        h.advance(Duration.ofMillis(200));
        assertThat(code(c.peer.next())).isEqualTo(ErrorCode.BAD_CREDENTIALS);
        h.advance(Duration.ofMillis(20));
        c.request(id -> new AuthFrame.Login(id, "alice", "bad".getBytes(), "d"));
        h.advance(Duration.ofMillis(399));
        assertThat(c.peer.drain()).as("the second refusal waits twice as long").isEmpty();
        h.advance(Duration.ofMillis(1));
        assertThat(code(c.peer.next())).isEqualTo(ErrorCode.BAD_CREDENTIALS);
        h.advance(Duration.ofMillis(420));
        c.login("alice", "password-alice");
        assertThat(c.auth.user()).isEqualTo("alice");
    }

    @Test
    void passwordGuessesDoNotLockOutTokenResumes() throws Exception {
        h = new Harness(true, RegistrationMode.OPEN);
        var alice = h.connect(7, "10.7.7.7").register("alice");
        h.connect(8, "10.6.6.6").request(id -> new AuthFrame.Login(id, "alice", "guess".getBytes(), "d"));
        h.pump(); // the guess is checked and its failure recorded
        var again = h.connect(7, "10.7.7.7");
        assertThat(again.call(id -> new AuthFrame.Resume(id, "alice", alice.auth.deviceId(), alice.auth.token())))
                .isInstanceOf(AuthFrame.AuthOk.class);
    }

    @Test
    void registrationModesAreEnforced() throws Exception {
        h = new Harness(true, RegistrationMode.INVITE);
        var c = h.connect();
        assertThat(code(c.call(id -> new AuthFrame.Register(id, "bob", "password".getBytes(), "", "d"))))
                .isEqualTo(ErrorCode.INVITE_INVALID);
        String code = h.await(h.core.admin().createInvite(1, Duration.ofDays(1)));
        h.advance(Duration.ofMillis(220)); // past the hold-back of the refused registration
        var d = h.connect();
        assertThat(d.call(id -> new AuthFrame.Register(id, "bob", "password".getBytes(), code, "d")))
                .isInstanceOf(AuthFrame.AuthOk.class);
        h.close();
        h = new Harness(true, RegistrationMode.CLOSED);
        assertThat(code(h.connect().call(id -> new AuthFrame.Register(id, "bob", "password".getBytes(), "", "d"))))
                .isEqualTo(ErrorCode.REGISTRATION_CLOSED);
    }

    @Test
    void aLargeStateIsSnapshottedOnlyOnceAsMuchLogAsItsLastSnapshotWasWritten() {
        h = new Harness(true, crumbhub.server.config.ServerOptions.builder().registration(RegistrationMode.OPEN)
                .snapshotLogBytes(1));
        var alice = h.connect().register("alice");
        h.connect().register("bob");
        // a big message bob has not received makes the state, and so every snapshot, large
        alice.call(id -> new MessageFrame.Send(id, TargetKind.DIRECT, "bob", new MessageId(9, 1), 0, new byte[20_000]));
        int snapshots = h.log.snapshots.size();
        assertThat(h.log.snapshots.getLast().length).isGreaterThan(20_000);
        for (int i = 0; i < 20; i++) {
            alice.send(TargetKind.DIRECT, "bob", "small " + i);
        }
        assertThat(h.log.snapshots).as("20 small records are far less log than one snapshot").hasSize(snapshots);
        alice.call(id -> new MessageFrame.Send(id, TargetKind.DIRECT, "bob", new MessageId(9, 2), 0, new byte[20_000]));
        assertThat(h.log.snapshots).hasSize(snapshots + 1);
    }

    @Test
    void snapshotsFollowBytesOfLogNotTheNumberOfRecords() {
        h = new Harness(true, crumbhub.server.config.ServerOptions.builder().registration(RegistrationMode.OPEN)
                .snapshotLogBytes(60_000));
        var alice = h.connect().register("alice");
        var bob = h.connect().register("bob");
        int before = h.log.snapshots.size();
        for (int i = 0; i < 300; i++) {
            alice.send(TargetKind.DIRECT, "bob", "s" + i);
            var got = new ArrayList<MessageFrame.Deliver>();
            bob.sync(got);
            long seq = got.getLast().seq();
            bob.ok(id -> new MessageFrame.Ack(id, seq));
        }
        assertThat(h.core.journal().bytesSinceSnapshot()).as("600 small records").isLessThan(60_000);
        assertThat(h.log.snapshots).as("600 small records are less log than the threshold").hasSize(before);
        alice.call(id -> new MessageFrame.Send(id, TargetKind.DIRECT, "bob", new MessageId(9, 1), 0, new byte[60_000]));
        assertThat(h.log.snapshots).as("one record of 60,000 bytes crosses it").hasSize(before + 1);
        assertThat(h.core.journal().bytesSinceSnapshot()).isZero();
    }

    @Test
    void withoutADurableSeqLeaseSendIsAcknowledgedAndDeliveredOnlyAfterDurable() throws Exception {
        h = new Harness(true, RegistrationMode.OPEN);
        var alice = h.connect().register("alice");
        var bob = h.connect().register("bob");
        assertThat(bob.sync(new ArrayList<>()).delivered()).isZero();
        h.log.auto(false);
        int id = alice.request(x -> new MessageFrame.Send(x, TargetKind.DIRECT, "bob", new MessageId(1, 1), 0,
                "hi".getBytes()));
        h.until(() -> h.log.pendingCount() == 2); // the message, then the server's first seq lease
        assertThat(alice.peer.drain()).isEmpty();
        assertThat(bob.peer.drain()).isEmpty();
        h.log.flush();
        var ok = alice.peer.next(MessageFrame.SendOk.class);
        assertThat(ok.requestId()).isEqualTo(id);
        var d = bob.peer.next(MessageFrame.Deliver.class);
        assertThat(d.seq()).isEqualTo(ok.seq());
        assertThat(d.from()).isEqualTo("alice");
        assertThat(d.target()).isEqualTo("bob");
        assertThat(text(d)).isEqualTo("hi");
    }

    @Test
    void connectionThatNeverSyncedGetsNoPushes() {
        h = new Harness(true, RegistrationMode.OPEN);
        var alice = h.connect().register("alice");
        var bob = h.connect().register("bob");
        alice.send(TargetKind.DIRECT, "bob", "quiet");
        assertThat(bob.peer.drain()).isEmpty();
    }

    @Test
    void syncReplaysInOrderThenGoesLiveAndAckedMessagesStayDelivered() {
        h = new Harness(true, RegistrationMode.OPEN);
        var alice = h.connect().register("alice");
        var bob = h.connect(50, "10.9.9.9").register("bob");
        for (int i = 0; i < 5; i++) {
            alice.send(TargetKind.DIRECT, "bob", "m" + i);
        }
        var got = new ArrayList<MessageFrame.Deliver>();
        var done = bob.sync(got);
        assertThat(got).extracting(Harness::text).containsExactly("m0", "m1", "m2", "m3", "m4");
        assertThat(done.delivered()).isEqualTo(5);
        assertThat(done.seq()).isEqualTo(got.getLast().seq());
        alice.send(TargetKind.DIRECT, "bob", "live");
        assertThat(text(bob.peer.next(MessageFrame.Deliver.class))).isEqualTo("live");
        bob.ok(id -> new MessageFrame.Ack(id, got.get(2).seq()));
        var again = h.connect(50, "10.9.9.9");
        cast(again.call(id -> new AuthFrame.Resume(id, "bob", bob.auth.deviceId(), bob.auth.token())), AuthFrame.AuthOk.class);
        var replay = new ArrayList<MessageFrame.Deliver>();
        again.sync(replay);
        assertThat(replay).extracting(Harness::text).containsExactly("m3", "m4", "live");
    }

    @Test
    void resentMessageIdGetsOriginalSendOkAndIsDeliveredOnce() {
        h = new Harness(true, RegistrationMode.OPEN);
        var alice = h.connect().register("alice");
        var bob = h.connect().register("bob");
        bob.sync(new ArrayList<>());
        var msg = new MessageId(99, 99);
        var first = cast(alice.call(id -> new MessageFrame.Send(id, TargetKind.DIRECT, "bob", msg, 0, "x".getBytes())),
                MessageFrame.SendOk.class);
        var second = cast(alice.call(id -> new MessageFrame.Send(id, TargetKind.DIRECT, "bob", msg, 0, "x".getBytes())),
                MessageFrame.SendOk.class);
        assertThat(second.seq()).isEqualTo(first.seq());
        assertThat(second.tsMs()).isEqualTo(first.tsMs());
        assertThat(bob.peer.drain()).hasSize(1);
    }

    @Test
    void roomFlowAndKickedMemberReceivesNothingAfter() {
        h = new Harness(true, RegistrationMode.OPEN);
        var alice = h.connect().register("alice");
        var bob = h.connect().register("bob");
        bob.sync(new ArrayList<>());
        alice.ok(id -> new RoomFrame.RoomCreate(id, "ops"));
        alice.ok(id -> new RoomFrame.RoomInvite(id, "ops", "bob"));
        var list = cast(bob.call(RoomFrame.RoomList::new), RoomFrame.RoomListReply.class);
        assertThat(list.rooms()).singleElement().satisfies(r -> assertThat(r.room()).isEqualTo("ops"));
        bob.ok(id -> new RoomFrame.RoomJoin(id, "ops"));
        var members = cast(bob.call(id -> new RoomFrame.RoomMembers(id, "ops")), RoomFrame.MemberList.class);
        assertThat(members.members()).hasSize(2);
        alice.send(TargetKind.ROOM, "ops", "welcome");
        assertThat(text(bob.peer.next(MessageFrame.Deliver.class))).isEqualTo("welcome");
        alice.ok(id -> new RoomFrame.RoomKick(id, "ops", "bob"));
        alice.send(TargetKind.ROOM, "ops", "secret plans");
        assertThat(bob.peer.drain()).isEmpty();
        assertThat(code(bob.call(id -> new MessageFrame.Send(id, TargetKind.ROOM, "ops", new MessageId(5, 5), 0,
                new byte[0])))).isEqualTo(ErrorCode.NOT_MEMBER);
    }

    @Test
    void congestedConnectionIsCaughtUpInOrderWhenItDrains() throws Exception {
        h = new Harness(true, RegistrationMode.OPEN);
        var alice = h.connect().register("alice");
        var bob = h.connect().register("bob");
        bob.sync(new ArrayList<>());
        alice.send(TargetKind.DIRECT, "bob", "a");
        assertThat(text(bob.peer.next(MessageFrame.Deliver.class))).isEqualTo("a");
        bob.peer.congested = true;
        for (String t : List.of("b", "c", "d")) {
            alice.send(TargetKind.DIRECT, "bob", t);
        }
        assertThat(bob.peer.drain()).isEmpty();
        bob.peer.congested = false;
        alice.send(TargetKind.DIRECT, "bob", "e");
        h.advance(Delivery.RECHECK); // the next look at congested connections
        var rest = bob.peer.drain();
        assertThat(rest).extracting(f -> text((MessageFrame.Deliver) f)).containsExactly("b", "c", "d", "e");
    }

    @Test
    void revokedDeviceIsDisconnectedAndCannotResume() {
        h = new Harness(true, RegistrationMode.OPEN);
        var laptop = h.connect(1, "10.0.0.1").register("alice");
        var phone = h.connect(2, "10.0.0.2").login("alice", "password-alice");
        var devices = cast(laptop.call(DeviceFrame.Devices::new), DeviceFrame.DeviceList.class);
        assertThat(devices.devices()).hasSize(2);
        assertThat(devices.devices()).filteredOn(d -> d.current()).singleElement()
                .satisfies(d -> assertThat(d.id()).isEqualTo(laptop.auth.deviceId()));
        laptop.ok(id -> new DeviceFrame.DeviceRevoke(id, phone.auth.deviceId()));
        assertThat(phone.peer.closed).isTrue();
        var back = h.connect(2, "10.0.0.2");
        assertThat(code(back.call(id -> new AuthFrame.Resume(id, "alice", phone.auth.deviceId(), phone.auth.token()))))
                .isEqualTo(ErrorCode.BAD_CREDENTIALS);
    }

    @Test
    void logoutAnswersOkThenClosesAndTheTokenIsDead() throws Exception {
        h = new Harness(true, RegistrationMode.OPEN);
        var c = h.connect(3, "10.0.0.3").register("alice");
        c.ok(AuthFrame.Logout::new);
        h.until(() -> c.peer.closed);
        var back = h.connect(3, "10.0.0.3");
        assertThat(code(back.call(id -> new AuthFrame.Resume(id, "alice", c.auth.deviceId(), c.auth.token()))))
                .isEqualTo(ErrorCode.BAD_CREDENTIALS);
    }

    @Test
    void bannedUserIsDisconnectedAndCannotLogIn() throws Exception {
        h = new Harness(true, RegistrationMode.OPEN);
        var alice = h.connect().register("alice");
        assertThat(h.await(h.core.admin().setBanned("alice", true))).contains("banned");
        assertThat(alice.peer.closed).isTrue();
        assertThat(code(h.connect().call(id -> new AuthFrame.Login(id, "alice", "password-alice".getBytes(), "d"))))
                .isEqualTo(ErrorCode.FORBIDDEN);
        h.await(h.core.admin().setBanned("alice", false));
        assertThat(h.connect().login("alice", "password-alice").auth.user()).isEqualTo("alice");
    }

    @Test
    void tokenIsNotInAnyToString() {
        h = new Harness(true, RegistrationMode.OPEN);
        var alice = h.connect().register("alice");
        DeviceToken t = alice.auth.token();
        assertThat(alice.auth.toString()).doesNotContain(java.util.HexFormat.of().formatHex(t.toByteArray()));
    }
}
