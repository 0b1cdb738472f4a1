package crumbhub.wire.net;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.testkit.Await;
import crumbhub.wire.CloseReason;
import crumbhub.wire.ConnectionClosedException;
import crumbhub.wire.loop.EventLoop;
import crumbhub.wire.loop.EventLoopGroup;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link Admission}: limits decided at accept, the refusal marker, and releases run exactly once. */
class AdmissionTest {
    private static final InetSocketAddress ANY_LOCAL = new InetSocketAddress("127.0.0.1", 0);

    @Test
    void aRefusedClientHearsWhyInOneSentenceAndAdmittedOnesAreReleasedOnce() throws Exception {
        var admitted = new AtomicInteger();
        var released = new AtomicInteger();
        var seen = new java.util.concurrent.ConcurrentLinkedQueue<InetSocketAddress>();
        Admission oneAtATime = remote -> {
            seen.add(remote);
            if (admitted.get() - released.get() >= 1) {
                return null;
            }
            admitted.incrementAndGet();
            return released::incrementAndGet;
        };
        var clientLoop = new EventLoop("cli");
        try (var loops = new EventLoopGroup("srv", 1)) {
            var server = NoiseServer.bind(ANY_LOCAL, loops, LoopbackFixture.key(1), c -> new RecordingHandler(),
                    ConnectionOptions.server(), oneAtATime);
            try {
                var local = new InetSocketAddress("127.0.0.3", 0);
                var first = RpcClient.connect(server.localAddress(), local, clientLoop, LoopbackFixture.key(2),
                        k -> true, f -> { }, ConnectionOptions.client()).get(5, TimeUnit.SECONDS);
                assertThat(seen.peek().getAddress().getHostAddress()).as("the client bound its local address")
                        .isEqualTo("127.0.0.3");

                var second = RpcClient.connect(server.localAddress(), clientLoop, LoopbackFixture.key(3), k -> true,
                        f -> { }, ConnectionOptions.client());
                try {
                    second.get(5, TimeUnit.SECONDS);
                    throw new AssertionError("a second connection was admitted");
                } catch (ExecutionException e) {
                    var reason = ((ConnectionClosedException) e.getCause()).reason();
                    assertThat(reason.kind()).isEqualTo(CloseReason.Kind.REFUSED);
                    assertThat(reason.detail()).contains("too many connections");
                }

                first.close();
                first.closed().get(5, TimeUnit.SECONDS);
                Await.until(() -> released.get() >= 1, "the first connection's slot released");
                assertThat(released.get()).isEqualTo(1);
                var third = RpcClient.connect(server.localAddress(), clientLoop, LoopbackFixture.key(4), k -> true,
                        f -> { }, ConnectionOptions.client()).get(5, TimeUnit.SECONDS);
                third.close();
            } finally {
                server.close();
            }
        } finally {
            clientLoop.shutdownGracefully().get(5, TimeUnit.SECONDS);
        }
        assertThat(released.get()).isEqualTo(admitted.get());
    }

    @Test
    void aRefusedRawSocketReadsTheMarkerThenEndOfStream() throws Exception {
        try (var loops = new EventLoopGroup("srv", 1)) {
            var server = NoiseServer.bind(ANY_LOCAL, loops, LoopbackFixture.key(1), c -> new RecordingHandler(),
                    ConnectionOptions.server(), remote -> null);
            try (var s = new Socket("127.0.0.1", server.localAddress().getPort())) {
                s.setSoTimeout(5_000);
                s.getOutputStream().write(new byte[34]);
                InputStream in = s.getInputStream();
                assertThat(in.read()).isZero();
                assertThat(in.read()).isZero();
                assertThat(in.read()).isEqualTo(-1);
            } finally {
                server.close();
            }
        }
    }
}
