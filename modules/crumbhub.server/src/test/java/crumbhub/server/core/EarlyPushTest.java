package crumbhub.server.core;

import static crumbhub.server.core.Harness.text;
import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.server.config.LimitOptions;
import crumbhub.server.domain.Quotas;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.ChangeCodec;
import crumbhub.server.domain.RegistrationMode;
import crumbhub.server.domain.State;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.Frame;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.MessageId;
import crumbhub.wire.TargetKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Early pushes under the seq lease (server.md §5): a message the durable lease covers is pushed
 * when its record is appended, SEND_OK still waits for the fsync, and a server rebuilt from its
 * durable records never hands out a seq that may have been pushed.
 */
class EarlyPushTest {
    private Harness h;
    private Harness restarted;

    @AfterEach
    void close() throws InterruptedException {
        if (h != null) {
            h.close();
        }
        if (restarted != null) {
            restarted.close();
        }
    }

    private static ServerOptions.Builder open() {
        return ServerOptions.builder().registration(RegistrationMode.OPEN).limits(LimitOptions.unlimited())
                .quotas(Quotas.unlimited());
    }

    private static <T> T onCore(Harness on, Function<State, T> read) throws Exception {
        var out = new CompletableFuture<T>();
        on.core.executor().execute(() -> out.complete(read.apply(on.core.domain().state())));
        return on.await(out);
    }

    /** The durable records replayed: what a restart after {@code kill -9} recovers. */
    private static State durable(Harness on) {
        return durable(new State(), on);
    }

    /** {@code base} with the durable records of {@code on} replayed on top. */
    private static State durable(State base, Harness on) {
        var s = base;
        synchronized (on.log) {
            for (byte[] r : on.log.records) {
                s.apply(ChangeCodec.decode(r));
            }
        }
        return s;
    }

    private static MessageFrame.Send message(int id, MessageId mid, String text) {
        return new MessageFrame.Send(id, TargetKind.DIRECT, "bob", mid, 0, text.getBytes(StandardCharsets.UTF_8));
    }

    /** alice and bob registered, bob live; the first message took the seq lease, now durable. */
    private Harness.Client[] leased() {
        h = new Harness(true, open());
        var alice = h.connect().register("alice");
        var bob = h.connect().register("bob");
        bob.sync(new ArrayList<>());
        alice.send(TargetKind.DIRECT, "bob", "first");
        assertThat(text(bob.peer.next(MessageFrame.Deliver.class))).isEqualTo("first");
        return new Harness.Client[] {alice, bob};
    }

    @Test
    void aMessageTheDurableLeaseCoversIsPushedBeforeItsRecordIsDurableAndSendOkWaits() throws Exception {
        var c = leased();
        var alice = c[0];
        var bob = c[1];
        h.log.auto(false);
        int durableBefore = h.log.records.size();
        int id = alice.request(x -> message(x, new MessageId(3, 1), "early"));
        MessageFrame.Deliver d = bob.peer.next(MessageFrame.Deliver.class);
        assertThat(text(d)).isEqualTo("early");
        h.until(() -> h.log.pendingCount() == 1); // the record, handed over after the push
        assertThat(h.log.records).as("the push left before its record was durable").hasSize(durableBefore);
        assertThat(alice.peer.drain()).as("SEND_OK waits for durability").isEmpty();
        h.log.flush();
        var ok = alice.peer.next(MessageFrame.SendOk.class);
        assertThat(ok.requestId()).isEqualTo(id);
        assertThat(ok.seq()).isEqualTo(d.seq());
        assertThat(bob.peer.drain()).as("pushed once").isEmpty();
    }

    @Test
    void aCoveredMessageBehindOneThatWaitsForDurabilityIsPushedRightAfterIt() throws Exception {
        h = new Harness(true, open());
        var alice = h.connect().register("alice");
        var bob = h.connect().register("bob");
        bob.sync(new ArrayList<>());
        h.log.auto(false);
        // a new server has no lease: the first message waits for its record and the lease's
        alice.request(x -> message(x, new MessageId(5, 1), "m1"));
        h.until(() -> h.log.pendingCount() == 2);
        alice.request(x -> message(x, new MessageId(5, 2), "m2")); // the lease is not durable yet: waits too
        h.until(() -> h.log.pendingCount() == 3);
        h.log.flush(2); // m1 and the lease
        assertThat(text(bob.peer.next(MessageFrame.Deliver.class))).isEqualTo("m1");
        alice.peer.next(MessageFrame.SendOk.class);
        // covered by the durable lease now, but m2 ahead of it still waits: it goes right after m2
        alice.request(x -> message(x, new MessageId(5, 3), "m3"));
        h.until(() -> h.log.pendingCount() == 2);
        assertThat(bob.peer.drain()).as("never ahead of m2").isEmpty();
        h.log.flush(1); // m2 only
        assertThat(text(bob.peer.next(MessageFrame.Deliver.class))).isEqualTo("m2");
        assertThat(text(bob.peer.next(MessageFrame.Deliver.class))).as("before its own record is durable").isEqualTo("m3");
        assertThat(h.log.pendingCount()).isEqualTo(1);
        h.log.flush();
        assertThat(alice.peer.drain()).hasSize(2).allMatch(f -> f instanceof MessageFrame.SendOk);
    }

    @Test
    void anAckOfAPushedSeqBeforeItIsDurableMovesTheCursorAfterTheMessage() throws Exception {
        var c = leased();
        var bob = c[1];
        h.log.auto(false);
        c[0].request(x -> message(x, new MessageId(3, 2), "early"));
        long seq = bob.peer.next(MessageFrame.Deliver.class).seq();
        bob.request(x -> new MessageFrame.Ack(x, seq + 1_000));
        h.until(() -> h.log.pendingCount() == 2);
        h.log.flush();
        bob.peer.next(ControlFrame.Ok.class);
        assertThat(onCore(h, s -> Long.valueOf(s.user("bob").device(1).cursor())).longValue())
                .as("never past what was handed out").isEqualTo(seq);
        assertThat(durable(h).user("bob").device(1).cursor()).isEqualTo(seq);
    }

    @Test
    void aServerRebuiltFromItsDurableRecordsHandsOutOnlySeqsAboveEveryPushedOne() throws Exception {
        var c = leased();
        h.log.auto(false);
        c[0].request(x -> message(x, new MessageId(3, 3), "pushed, then lost"));
        long pushed = c[1].peer.next(MessageFrame.Deliver.class).seq();
        State recovered = durable(h); // kill -9 now: the pushed message's record never became durable
        assertThat(recovered.lastSeq()).isLessThan(pushed);

        restarted = new Harness(true, open(), recovered);
        var alice = restarted.connect().login("alice", "password-alice");
        var bob = restarted.connect().login("bob", "password-bob");
        bob.sync(new ArrayList<>());
        var retry = cast(alice.call(x -> message(x, new MessageId(3, 3), "pushed, then lost")));
        assertThat(retry.seq()).as("the retry of the lost message gets a new seq").isGreaterThan(pushed);
        MessageFrame.Deliver again = bob.peer.next(MessageFrame.Deliver.class);
        assertThat(again.messageId()).isEqualTo(new MessageId(3, 3));
        assertThat(again.seq()).isEqualTo(retry.seq());
        var next = cast(alice.call(x -> message(x, new MessageId(3, 4), "later")));
        assertThat(next.seq()).isGreaterThan(retry.seq());

        // and again after a second restart: the skip itself is durable
        State second = durable(durable(h), restarted);
        assertThat(second.lastSeq()).isEqualTo(next.seq());
        assertThat(second.seqLease()).isGreaterThan(next.seq());
    }

    @Test
    void theLeaseIsRenewedBeforeItRunsOutSoPushesNeverWaitInSteadyState() throws Exception {
        var c = leased();
        var alice = c[0];
        long lease = onCore(h, State::seqLease);
        assertThat(lease).isGreaterThanOrEqualTo(SeqLeases.LEASE);
        // past the middle of the first lease, the last few with the log held as they go
        long target = lease - SeqLeases.LEASE / 2 + 10;
        var quiet = h.connect().register("carol"); // a direct peer that never syncs: no pushes to read
        for (long seq = onCore(h, State::lastSeq); seq < target; seq = alice.send(TargetKind.DIRECT, "carol", "x").seq()) {
            assertThat(quiet.peer.frames).isEmpty();
        }
        long renewed = onCore(h, State::seqLease);
        assertThat(renewed).as("renewed once half of it was used").isGreaterThan(lease);
        var durableLease = new CompletableFuture<Long>();
        h.core.executor().execute(() -> durableLease.complete(h.core.leases().durable()));
        assertThat(h.await(durableLease))
                .as("the renewal is durable half a lease before the old one runs out").isEqualTo(renewed);
        h.log.auto(false);
        int id = alice.request(x -> message(x, new MessageId(4, 4), "still early"));
        assertThat(text(c[1].peer.next(MessageFrame.Deliver.class))).isEqualTo("still early");
        assertThat(alice.peer.drain()).isEmpty();
        h.log.flush();
        assertThat(alice.peer.next(MessageFrame.SendOk.class).requestId()).isEqualTo(id);
    }

    private static MessageFrame.SendOk cast(Frame f) {
        return Harness.cast(f, MessageFrame.SendOk.class);
    }
}
