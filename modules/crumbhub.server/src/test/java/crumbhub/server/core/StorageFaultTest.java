package crumbhub.server.core;

import static crumbhub.server.core.Harness.cast;
import static crumbhub.server.core.Harness.text;
import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.server.domain.ChangeCodec;
import crumbhub.server.domain.RegistrationMode;
import crumbhub.server.domain.SnapshotCodec;
import crumbhub.server.domain.State;
import crumbhub.wire.AuthFrame;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.Frame;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.MessageId;
import crumbhub.wire.RoomFrame;
import crumbhub.wire.TargetKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A failing store (docs/security.md "Limits and failure behaviour"): writes get {@code storage}
 * and no ack, their in-memory effects are undone, reads and deliveries of what is stored go on,
 * and the server recovers by itself once the disk works again.
 */
class StorageFaultTest {
    private Harness h;

    @AfterEach
    void close() throws InterruptedException {
        if (h != null) {
            h.log.heal();
            h.close();
        }
    }

    private static ErrorCode code(Frame f) {
        return cast(f, ControlFrame.Error.class).errorCode().orElseThrow();
    }

    /** The live state, encoded on the core thread. */
    private byte[] live() throws Exception {
        var out = new CompletableFuture<byte[]>();
        h.core.executor().execute(() -> out.complete(SnapshotCodec.encode(h.core.domain().state())));
        return h.await(out);
    }

    /** What a restart would recover: the durable records replayed. */
    private byte[] durable() {
        var s = new State();
        synchronized (h.log) {
            for (byte[] r : h.log.records) {
                s.apply(ChangeCodec.decode(r));
            }
        }
        return SnapshotCodec.encode(s);
    }

    private MessageFrame.Send message(int id, MessageId mid, String text) {
        return new MessageFrame.Send(id, TargetKind.ROOM, "ops", mid, 0, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aFailedSendIsAnsweredStorageAndUndoneAndItsRetryGetsASeqAboveEveryPushedOne() throws Exception {
        h = new Harness(false, RegistrationMode.OPEN);
        h.log.auto(true);
        var alice = h.connect().register("alice");
        var bob = h.connect().register("bob");
        alice.ok(id -> new RoomFrame.RoomCreate(id, "ops"));
        alice.ok(id -> new RoomFrame.RoomInvite(id, "ops", "bob"));
        bob.ok(id -> new RoomFrame.RoomJoin(id, "ops"));
        alice.send(TargetKind.ROOM, "ops", "stored before");
        bob.sync(new ArrayList<>());
        h.log.auto(false);

        // three writes in flight, then the disk fails under all of them
        var lost = new MessageId(9, 9);
        int send1 = alice.request(id -> message(id, lost, "lost one"));
        int send2 = alice.request(id -> message(id, new MessageId(9, 10), "lost two"));
        int create = bob.request(id -> new RoomFrame.RoomCreate(id, "later"));
        h.until(() -> h.log.pendingCount() == 3);
        h.log.failFromNowOn(new IOException("No space left on device"));

        assertThat(code(alice.peer.next())).isEqualTo(ErrorCode.STORAGE);
        assertThat(code(alice.peer.next())).isEqualTo(ErrorCode.STORAGE);
        // the lease (taken with the first message) covered them: pushed at append, before the failure
        var early = List.of(bob.peer.next(MessageFrame.Deliver.class), bob.peer.next(MessageFrame.Deliver.class));
        assertThat(early).extracting(Harness::text).containsExactly("lost one", "lost two");
        Frame createReply = bob.peer.next();
        assertThat(createReply.requestId()).isEqualTo(create);
        assertThat(code(createReply)).isEqualTo(ErrorCode.STORAGE);
        assertThat(live()).as("every change whose record failed is undone").isEqualTo(durable());
        assertThat(bob.peer.drain()).as("nothing else is pushed").isEmpty();

        // while failing: writes refused at once, reads, resumes and syncs go on
        assertThat(code(alice.call(id -> message(id, new MessageId(9, 11), "refused")))).isEqualTo(ErrorCode.STORAGE);
        assertThat(alice.call(RoomFrame.RoomList::new)).isInstanceOf(RoomFrame.RoomListReply.class);
        var bobAgain = h.connect(bob.peer.key[0], "10.0.0.99");
        cast(bobAgain.call(id -> new AuthFrame.Resume(id, "bob", bob.auth.deviceId(), bob.auth.token())),
                AuthFrame.AuthOk.class);
        var replay = new ArrayList<MessageFrame.Deliver>();
        bobAgain.sync(replay);
        assertThat(replay).extracting(Harness::text).containsExactly("stored before");

        // the disk comes back: a probe succeeds and the same message id is stored once
        h.log.heal();
        h.log.auto(true);
        h.advance(Journal.PROBE_INTERVAL);
        assertThat(h.onCore(h.core.journal()::failing)).as("the probe found the disk working").isFalse();
        Frame reply = alice.call(id -> message(id, lost, "lost one"));
        long retrySeq = cast(reply, MessageFrame.SendOk.class).seq();
        assertThat(retrySeq).as("no seq that may have been pushed is handed out again")
                .isGreaterThan(early.getLast().seq());
        MessageFrame.Deliver again = bob.peer.next(MessageFrame.Deliver.class);
        assertThat(text(again)).isEqualTo("lost one");
        assertThat(again.messageId()).as("the same message id, for the client to show it once").isEqualTo(lost);
        assertThat(again.seq()).isEqualTo(retrySeq);
        assertThat(text(bobAgain.peer.next(MessageFrame.Deliver.class))).isEqualTo("lost one");
        assertThat(cast(alice.call(id -> message(id, lost, "lost one")), MessageFrame.SendOk.class).seq())
                .as("a retry is de-duplicated").isEqualTo(((MessageFrame.SendOk) reply).seq());
        assertThat(live()).isEqualTo(durable());
        assertThat(send1).isNotEqualTo(send2);
    }

    @Test
    void aRegistrationWhoseRecordsFailLeavesTheNameFree() throws Exception {
        h = new Harness(false, RegistrationMode.OPEN);
        var c = h.connect();
        c.request(id -> new AuthFrame.Register(id, "carol", "password".getBytes(), "", "laptop"));
        h.until(() -> h.log.pendingCount() >= 2);
        h.log.failFromNowOn(new IOException("Input/output error"));
        assertThat(code(c.peer.next())).isEqualTo(ErrorCode.STORAGE);
        assertThat(live()).isEqualTo(durable());
        h.log.heal();
        h.log.auto(true);
        h.advance(Journal.PROBE_INTERVAL); // a probe finds the disk working again
        h.until(() -> h.log.resumes > 0 && h.log.records.size() > 0);
        var again = h.connect();
        again.register("carol");
        assertThat(again.auth.user()).isEqualTo("carol");
        assertThat(live()).isEqualTo(durable());
    }

    @Test
    void sessionsOfRestoredDevicesKeepTheirPlaceAndGetLaterMessagesOnce() throws Exception {
        h = new Harness(true, RegistrationMode.OPEN);
        var alice = h.connect().register("alice");
        var bob = h.connect().register("bob");
        alice.ok(id -> new RoomFrame.RoomCreate(id, "ops"));
        alice.ok(id -> new RoomFrame.RoomInvite(id, "ops", "bob"));
        bob.ok(id -> new RoomFrame.RoomJoin(id, "ops"));
        bob.sync(new ArrayList<>());
        for (int i = 0; i < 3; i++) {
            alice.send(TargetKind.ROOM, "ops", "m" + i);
        }
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            got.add(text(bob.peer.next(MessageFrame.Deliver.class)));
        }
        h.log.failFromNowOn(new IOException("No space left on device"));
        assertThat(code(alice.call(id -> message(id, new MessageId(5, 5), "x")))).isEqualTo(ErrorCode.STORAGE);
        MessageFrame.Deliver lost = bob.peer.next(MessageFrame.Deliver.class);
        assertThat(text(lost)).as("pushed at append (the lease covered it), then rolled back").isEqualTo("x");
        h.log.heal();
        h.log.auto(true);
        h.advance(Journal.PROBE_INTERVAL); // a probe finds the disk working again
        h.until(() -> {
            try {
                return live().length > 0 && !failing();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        alice.send(TargetKind.ROOM, "ops", "after");
        MessageFrame.Deliver after = bob.peer.next(MessageFrame.Deliver.class);
        assertThat(after.seq()).as("above the rolled-back seq the session already has").isGreaterThan(lost.seq());
        got.add(text(after));
        assertThat(got).containsExactly("m0", "m1", "m2", "after");
        assertThat(bob.peer.drain()).isEmpty();
        assertThat(bob.peer.closed).isFalse();
    }

    private boolean failing() throws Exception {
        var out = new CompletableFuture<Boolean>();
        h.core.executor().execute(() -> out.complete(h.core.journal().failing()));
        return h.await(out);
    }
}
