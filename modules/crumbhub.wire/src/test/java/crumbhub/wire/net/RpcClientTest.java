package crumbhub.wire.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.crypto.Fingerprint;
import crumbhub.wire.AuthFrame;
import crumbhub.wire.CloseReason.Kind;
import crumbhub.wire.ConnectionClosedException;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.Frame;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.MessageId;
import crumbhub.wire.TargetKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RpcClientTest extends LoopbackFixture {
    private final List<Frame> pushes = new CopyOnWriteArrayList<>();

    private RpcClient rpc(java.util.function.Predicate<byte[]> acceptKey) throws Exception {
        return RpcClient.connect(address(), clientLoop, clientKey, acceptKey, pushes::add, ConnectionOptions.client())
                .get(WAIT_S, TimeUnit.SECONDS);
    }

    @Test
    void everyRequestCompletesWithTheReplyCarryingItsIdAndPushesGoToTheListener() throws Exception {
        serverSetup = h -> h.onFrame = (conn, f) -> {
            if (f instanceof ControlFrame.Ping p) {
                conn.send(new MessageFrame.Deliver(0, TargetKind.ROOM, "r", "u", 1, p.nonce(), 0, new MessageId(0, 0), 0,
                        new byte[0]));
                conn.send(new ControlFrame.Pong(p.requestId(), p.nonce()));
            }
        };
        byte[] pinned = serverKey.publicKey();
        try (RpcClient rpc = rpc(key -> Fingerprint.matches(key, Fingerprint.of(pinned)))) {
            assertThat(rpc.serverKey()).isEqualTo(pinned);
            List<CompletableFuture<Frame>> replies = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            List<CompletableFuture<Frame>> shared = new CopyOnWriteArrayList<>();
            for (int t = 0; t < 4; t++) {
                int base = t * 1_000;
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 250; i++) {
                        long nonce = base + i;
                        shared.add(rpc.request(id -> new ControlFrame.Ping(id, nonce)));
                    }
                }));
            }
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(WAIT_S));
            }
            replies.addAll(shared);
            Set<Integer> ids = new HashSet<>();
            for (CompletableFuture<Frame> r : replies) {
                Frame reply = r.get(WAIT_S, TimeUnit.SECONDS);
                assertThat(reply).isInstanceOf(ControlFrame.Pong.class);
                assertThat(reply.requestId()).isNotZero();
                ids.add(reply.requestId());
            }
            assertThat(ids).hasSize(1_000);
            assertThat(pushes).hasSize(1_000).allMatch(f -> f.requestId() == 0);
        }
    }

    @Test
    void pendingAndLaterRequestsFailWhenTheConnectionCloses() throws Exception {
        serverSetup = h -> h.onFrame = (conn, f) -> {
            if (f instanceof AuthFrame.Logout) {
                conn.close();
            }
        };
        RpcClient rpc = rpc(key -> true);
        CompletableFuture<Frame> sync = rpc.request(MessageFrame.Sync::new);
        rpc.request(AuthFrame.Logout::new);
        assertThatThrownBy(() -> sync.get(WAIT_S, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(ConnectionClosedException.class,
                        e -> assertThat(e.reason().kind()).isEqualTo(Kind.PEER_CLOSED));
        assertThat(rpc.closed().get(WAIT_S, TimeUnit.SECONDS).kind()).isEqualTo(Kind.PEER_CLOSED);
        assertThat(rpc.request(MessageFrame.Sync::new)).isCompletedExceptionally();
        assertThat(rpc.isOpen()).isFalse();
    }

    @Test
    void aServerKeyTheCallerDoesNotTrustFailsTheConnect() {
        CompletableFuture<RpcClient> f = RpcClient.connect(address(), clientLoop, clientKey, key -> false, pushes::add,
                ConnectionOptions.client());
        assertThatThrownBy(() -> f.get(WAIT_S, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(ConnectionClosedException.class,
                        e -> assertThat(e.reason().kind()).isEqualTo(Kind.KEY_REJECTED));
    }

    @Test
    void theClientAnswersTheServersPingItself() throws Exception {
        serverSetup = h -> h.ready.thenAccept(conn -> conn.send(new ControlFrame.Ping(77, 5)));
        try (RpcClient rpc = rpc(key -> true)) {
            RecordingHandler server = nextServerHandler();
            assertThat(server.nextFrame()).isEqualTo(new ControlFrame.Pong(77, 5));
            assertThat(pushes).isEmpty();
        }
    }

    @Test
    void aBuilderThatIgnoresTheIdIsRefused() throws Exception {
        try (RpcClient rpc = rpc(key -> true)) {
            assertThatThrownBy(() -> rpc.request(id -> new MessageFrame.Sync(id + 1)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
