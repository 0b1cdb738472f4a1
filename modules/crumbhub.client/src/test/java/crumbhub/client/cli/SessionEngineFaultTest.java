package crumbhub.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.ClientException;
import crumbhub.client.chat.Failure;
import crumbhub.client.chat.IncomingMessage;
import crumbhub.client.chat.OutgoingMessage;
import crumbhub.client.chat.SessionEngine;
import crumbhub.client.chat.StoredSession;
import crumbhub.client.e2e.E2eClient;
import crumbhub.client.format.MessageText;
import crumbhub.client.home.Home;
import crumbhub.client.message.Target;
import crumbhub.client.model.ConnectionState;
import crumbhub.testkit.Await;
import crumbhub.wire.MessageId;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SessionEngine} against {@link FakeServer}, which can drop a connection after storing a
 * message and before answering: the faults the real server does not make on demand.
 */
class SessionEngineFaultTest {
    private static final SessionEngine.Options FAST = new SessionEngine.Options(Duration.ofSeconds(5),
            Duration.ofSeconds(5), 4, Duration.ofMillis(50), Duration.ofMillis(200));

    @TempDir
    Path tmp;
    private final FakeServer server = new FakeServer();

    @AfterEach
    void stop() {
        server.close();
    }

    /** Records what the engine tells its listener. */
    private static final class Events implements SessionEngine.Listener {
        final List<ConnectionState> states = new CopyOnWriteArrayList<>();
        final CompletableFuture<Long> sent = new CompletableFuture<>();
        final CompletableFuture<Failure> notSent = new CompletableFuture<>();
        final CompletableFuture<ClientException> stopped = new CompletableFuture<>();

        @Override
        public void connectionChanged(ConnectionState state) {
            states.add(state);
        }

        final List<IncomingMessage> received = new CopyOnWriteArrayList<>();

        @Override
        public void received(List<IncomingMessage> batch) {
            received.addAll(batch);
        }

        @Override
        public void sent(OutgoingMessage message, long seq, Instant time) {
            sent.complete(seq);
        }

        @Override
        public void notSent(OutgoingMessage message, Failure why) {
            notSent.complete(why);
        }

        @Override
        public void stopped(ClientException why) {
            stopped.complete(why);
        }
    }

    private SessionEngine engine(Home home, Events events) {
        return engine(home, events, new SessionEngine.Cursor() {
            @Override
            public long lastSeq() {
                return 0;
            }

            @Override
            public boolean firstSight(String from, MessageId id) {
                return true;
            }

            @Override
            public void advance(long seq) {
            }
        });
    }

    private SessionEngine engine(Home home, Events events, SessionEngine.Cursor cursor) {
        var record = home.session();
        var e2e = E2eClient.create(home, record.user(), record.deviceId(), new SecureRandom(),
                Clock.systemUTC(), events::warning);
        return new SessionEngine(StoredSession.connector(record, home.deviceKey(), home.knownServers()), e2e, cursor, record.user(), events, FAST, Clock.systemUTC(), new Random(1));
    }

    private Home registered(String user) {
        var run = new Run(tmp.resolve(user));
        assertThat(run.stdin("secret-" + user + "\n").run("register", server.address(), user, "--password-stdin").exit())
                .isZero();
        return Home.open(tmp.resolve(user), prompt -> null, new SecureRandom(), 1000);
    }

    @Test
    void aMessageWhoseAnswerIsLostIsSentAgainWithTheSameIdAndStoredOnce() throws Exception {
        try (Home alice = registered("alice"); Home bob = registered("bob")) {
            var events = new Events();
            var engine = engine(alice, events);
            try {
                server.dropAfterStoring.set(3);
                engine.start();
                engine.send(new OutgoingMessage(MessageId.random(new SecureRandom()), new Target.Direct("bob"),
                        MessageText.text("exactly once"), Instant.now()));
                assertThat(events.sent.get(10, TimeUnit.SECONDS)).isEqualTo(1L);
                assertThat(server.sendsReceived).hasValue(4);
                assertThat(server.storedMessages()).isEqualTo(1);
                assertThat(events.states.stream().filter(s -> s instanceof ConnectionState.Offline)).hasSize(3);
                assertThat(engine.drain(Duration.ofSeconds(5)).get()).isTrue();
            } finally {
                engine.close();
            }
        }
    }

    @Test
    void aMessageStoredAgainUnderANewSeqAfterACrashIsReceivedOnce() throws Exception {
        try (Home alice = registered("alice"); Home bob = registered("bob")) {
            var aliceEvents = new Events();
            var bobEvents = new Events();
            var sender = engine(alice, aliceEvents);
            var receiver = engine(bob, bobEvents, SessionCommands.cursor(bob, bob.session()));
            try {
                receiver.start();
                Await.until(() -> server.syncs.get() >= 1, Duration.ofSeconds(10), "bob's SYNC");
                sender.start();
                sender.send(new OutgoingMessage(MessageId.random(new SecureRandom()), new Target.Direct("bob"),
                        MessageText.text("once"), Instant.now()));
                long first = aliceEvents.sent.get(10, TimeUnit.SECONDS);
                // pushed, lost in a crash, stored again from the sender's retry under a higher seq
                assertThat(server.storeLastAgainAsARetry()).allSatisfy(seq -> assertThat(seq).isGreaterThan(first));
                sender.send(new OutgoingMessage(MessageId.random(new SecureRandom()), new Target.Direct("bob"),
                        MessageText.text("after"), Instant.now()));
                Await.until(() -> bobEvents.received.size() >= 2, Duration.ofSeconds(10), "two messages at bob");
                assertThat(bobEvents.received).extracting(m -> ((IncomingMessage.Message) m).text().text())
                        .containsExactly("once", "after");
            } finally {
                sender.close();
                receiver.close();
            }
        }
    }

    /**
     * The connection drops while the receiver fetches the listing of a sender it has not checked
     * yet (found by the history check, seed 20261207): the delivery must be neither shown as
     * unreadable nor acknowledged, but opened after the reconnect. When it carried a room sender
     * key, acknowledging it unread made every later room message of that sender unreadable.
     */
    @Test
    void aConnectionLostWhileCheckingAnUnknownSenderNeitherLosesNorAcknowledgesTheMessage() throws Exception {
        try (Home alice = registered("alice"); Home bob = registered("bob")) {
            var aliceEvents = new Events();
            var bobEvents = new Events();
            var sender = engine(alice, aliceEvents);
            var receiver = engine(bob, bobEvents, SessionCommands.cursor(bob, bob.session()));
            try {
                sender.start();
                sender.send(new OutgoingMessage(MessageId.random(new SecureRandom()), new Target.Direct("bob"),
                        MessageText.text("checked after a reconnect"), Instant.now()));
                aliceEvents.sent.get(10, TimeUnit.SECONDS);
                server.dropOnAccountKeys.set(1);
                receiver.start();
                Await.until(() -> !bobEvents.received.isEmpty(), Duration.ofSeconds(10), "the message at bob");
                assertThat(bobEvents.received).singleElement().isInstanceOfSatisfying(IncomingMessage.Message.class,
                        m -> assertThat(m.text().text()).isEqualTo("checked after a reconnect"));
                assertThat(server.dropOnAccountKeys).hasValue(0);
                assertThat(bobEvents.states.stream().filter(s -> s instanceof ConnectionState.Offline)).isNotEmpty();
            } finally {
                sender.close();
                receiver.close();
            }
        }
    }

    @Test
    void aServerThatIsGoneIsRetriedWithGrowingPausesUntilItIsBack() throws Exception {
        try (Home alice = registered("alice")) {
            var events = new Events();
            server.close();
            var engine = engine(alice, events);
            try {
                engine.start();
                Await.until(() -> events.states.stream().filter(s -> s instanceof ConnectionState.Connecting).count() >= 4,
                        Duration.ofSeconds(10), "four connection attempts");
                var connecting = events.states.stream().filter(s -> s instanceof ConnectionState.Connecting c)
                        .map(s -> ((ConnectionState.Connecting) s).attempt()).toList();
                assertThat(connecting).startsWith(1, 2, 3, 4);
                var offline = events.states.stream().filter(s -> s instanceof ConnectionState.Offline).toList();
                assertThat(offline).allSatisfy(s -> assertThat(((ConnectionState.Offline) s).retryAt()).isPresent());
                assertThat(events.stopped).isNotDone();
            } finally {
                engine.close();
            }
        }
    }
}
