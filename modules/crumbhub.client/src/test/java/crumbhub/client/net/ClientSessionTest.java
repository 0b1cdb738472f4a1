package crumbhub.client.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.client.ClientException;
import crumbhub.crypto.X25519KeyPair;
import crumbhub.wire.AuthFrame;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.DeviceToken;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.Frame;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.RoomFrame;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClientSessionTest {
    private static final ServerAddress SERVER = new ServerAddress("127.0.0.1", 5555);
    private static final ClientSession.Options FAST = new ClientSession.Options(Duration.ofMillis(300), Duration.ofMillis(300));
    private final SecureRandom rng = new SecureRandom();
    private final X25519KeyPair deviceKey = X25519KeyPair.generate(rng);
    private final byte[] serverKey = X25519KeyPair.generate(rng).publicKey();

    @AfterEach
    void closeKey() {
        deviceKey.close();
    }

    /** A server in memory: answers each request with {@code replies}; null leaves it unanswered. */
    private final class FakeConnector implements Connector {
        final Function<Frame, Frame> replies;
        final List<Frame> received = new ArrayList<>();
        final List<FakeLink> links = new ArrayList<>();
        final AtomicInteger connects = new AtomicInteger();
        RuntimeException failConnect;

        FakeConnector(Function<Frame, Frame> replies) {
            this.replies = replies;
        }

        @Override
        public CompletableFuture<Link> connect(ServerAddress server, X25519KeyPair key, ClientSession.ServerKeyCheck check,
                                               Consumer<Frame> pushes) {
            connects.incrementAndGet();
            if (failConnect != null) {
                return CompletableFuture.failedFuture(failConnect);
            }
            try {
                check.check(serverKey);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
            var link = new FakeLink(this);
            links.add(link);
            return CompletableFuture.completedFuture(link);
        }

        @Override
        public void close() {}
    }

    private final class FakeLink implements Link {
        final FakeConnector owner;
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        int nextId = 1;

        FakeLink(FakeConnector owner) {
            this.owner = owner;
        }

        @Override
        public byte[] serverStaticKey() {
            return serverKey.clone();
        }

        @Override
        public CompletableFuture<Frame> request(IntFunction<Frame> request) {
            if (closed.isDone()) {
                return CompletableFuture.failedFuture(new java.io.IOException("connection closed"));
            }
            Frame frame = request.apply(nextId++);
            owner.received.add(frame);
            Frame reply = owner.replies.apply(frame);
            return reply == null ? new CompletableFuture<>() : CompletableFuture.completedFuture(reply);
        }

        @Override
        public CompletableFuture<Void> closed() {
            return closed;
        }

        @Override
        public void close() {
            closed.complete(null);
        }
    }

    private static Frame authOk(Frame f) {
        return new AuthFrame.AuthOk(f.requestId(), "alice", 3, DeviceToken.random(new SecureRandom()));
    }

    private ClientSession connect(FakeConnector connector) {
        return ClientSession.connect(connector, false, SERVER, deviceKey, key -> {}, FAST, f -> {});
    }

    @Test
    void errorReplyBecomesARefusalWithTheServersSentence() {
        var connector = new FakeConnector(f -> ControlFrame.Error.of(f.requestId(), ErrorCode.EXISTS, "room\u001b[31m exists"));
        try (var session = connect(connector)) {
            assertThatThrownBy(() -> session.call("room create #dev", id -> new RoomFrame.RoomCreate(id, "dev"), ControlFrame.Ok.class))
                    .isInstanceOf(ClientException.class)
                    .hasMessage("room create #dev refused by the server: room [31m exists (exists)")
                    .extracting(e -> ((ClientException) e).kind()).isEqualTo(ClientException.Kind.REFUSED);
        }
    }

    @Test
    void errorReplyCarriesTheServersCodeAsAField() {
        var connector = new FakeConnector(f -> ControlFrame.Error.of(f.requestId(), ErrorCode.NOT_FOUND, "no room (really)"));
        try (var session = connect(connector)) {
            assertThatThrownBy(() -> session.call("room join #dev", id -> new RoomFrame.RoomJoin(id, "dev"), ControlFrame.Ok.class))
                    .isInstanceOfSatisfying(ClientException.class,
                            e -> assertThat(e.serverCode()).contains(ErrorCode.NOT_FOUND.code()));
        }
    }

    @Test
    void wrongReplyTypeIsARefusal() {
        var connector = new FakeConnector(f -> new ControlFrame.Ok(f.requestId()));
        try (var session = connect(connector)) {
            assertThatThrownBy(() -> session.call("room list", RoomFrame.RoomList::new, RoomFrame.RoomListReply.class))
                    .hasMessageContaining("sent OK instead of a reply")
                    .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.serverCode()).isEmpty());
        }
    }

    @Test
    void rejectedTokenMeansTheSessionExpired() {
        var connector = new FakeConnector(f -> ControlFrame.Error.of(f.requestId(), ErrorCode.BAD_CREDENTIALS, "no"));
        try (var session = connect(connector)) {
            assertThatThrownBy(() -> session.resume("alice", 3, new byte[32]))
                    .hasMessage("session expired; run crumbhub-client login");
        }
    }

    @Test
    void missingReplyTimesOutAsANetworkError() {
        var connector = new FakeConnector(f -> null);
        try (var session = connect(connector)) {
            assertThatThrownBy(() -> session.call("send to #dev", MessageFrame.Sync::new, MessageFrame.SyncDone.class))
                    .hasMessageContaining("no answer from 127.0.0.1:5555")
                    .extracting(e -> ((ClientException) e).kind()).isEqualTo(ClientException.Kind.NETWORK);
        }
    }

    @Test
    void refusedServerKeyFailsTheConnect() {
        var connector = new FakeConnector(f -> null);
        assertThatThrownBy(() -> ClientSession.connect(connector, false, SERVER, deviceKey,
                key -> {
                    throw ClientException.identity("key changed");
                }, FAST, f -> {}))
                .hasMessage("key changed")
                .extracting(e -> ((ClientException) e).kind()).isEqualTo(ClientException.Kind.IDENTITY);
    }

    @Test
    void connectFailureIsANetworkError() {
        var connector = new FakeConnector(f -> null);
        connector.failConnect = new java.io.UncheckedIOException(new java.net.ConnectException("Connection refused"));
        assertThatThrownBy(() -> connect(connector))
                .hasMessageContaining("connecting to 127.0.0.1:5555")
                .hasMessageContaining("Connection refused")
                .extracting(e -> ((ClientException) e).kind()).isEqualTo(ClientException.Kind.NETWORK);
    }

    @Test
    void reconnectResumesWithTheLastCredentials() {
        var connector = new FakeConnector(f -> f instanceof AuthFrame.Login || f instanceof AuthFrame.Resume ? authOk(f)
                : new ControlFrame.Ok(f.requestId()));
        try (var session = connect(connector)) {
            session.login("alice", "pw".getBytes(), "laptop");
            session.reconnect();
            assertThat(connector.connects).hasValue(2);
            assertThat(connector.links.get(0).closed()).isDone();
            assertThat(session.isConnected()).isTrue();
            var resume = (AuthFrame.Resume) connector.received.getLast();
            assertThat(resume.user()).isEqualTo("alice");
            assertThat(resume.deviceId()).isEqualTo(3);
        }
    }

    @Test
    void reconnectBeforeAuthenticationIsABug() {
        try (var session = connect(new FakeConnector(f -> null))) {
            assertThatThrownBy(session::reconnect).isInstanceOf(IllegalStateException.class);
        }
    }
}
