package crumbhub.server.net;

import crumbhub.crypto.X25519KeyPair;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.core.ServerCore;
import crumbhub.wire.loop.EventLoopGroup;
import crumbhub.wire.net.ConnectionOptions;
import crumbhub.wire.net.NoiseServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The network side of the server: the event-loop threads (one per core by default, docs/design.md §6)
 * and the Noise listener whose connections feed the {@link ServerCore}.
 */
public final class Listener implements AutoCloseable {
    /** Bytes queued on a connection above which sends are refused: room for replies above the soft bound. */
    static final int HARD_LIMIT_FACTOR = 4;

    private final EventLoopGroup group;
    private final NoiseServer server;
    private final ConnectionGate gate;
    private final java.util.concurrent.atomic.AtomicBoolean accepting = new java.util.concurrent.atomic.AtomicBoolean(true);

    private Listener(EventLoopGroup group, NoiseServer server, ConnectionGate gate) {
        this.group = group;
        this.server = server;
        this.gate = gate;
    }

    /** Binds and starts accepting. Blocks until the socket is bound. */
    public static Listener start(ServerOptions o, X25519KeyPair serverKey, ServerCore core) throws IOException {
        var group = new EventLoopGroup("crumbhub-loop", o.loopThreads(), o.ticks());
        int soft = (int) Math.min(Integer.MAX_VALUE / HARD_LIMIT_FACTOR, o.maxOutboundBytes());
        var conn = ConnectionOptions.server()
                .withHandshakeTimeout(o.limits().handshakeTimeout())
                .withIdleTimeout(o.idleTimeout())
                .withOutboundLimits(soft, soft * HARD_LIMIT_FACTOR);
        var gate = new ConnectionGate(o.limits().maxConnections(), o.limits().maxConnectionsPerAddress());
        try {
            var server = NoiseServer.bind(o.listen().toAddress(), group, serverKey,
                    c -> new ClientHandler(core, o.authTimeout(), o.limits().connectionRequests(),
                            o.limits().keyUploads(), core.counters()),
                    conn, gate);
            return new Listener(group, server, gate);
        } catch (IOException | RuntimeException e) {
            group.close();
            throw e;
        }
    }

    /**
     * Completes once every loop has run the timers due by now on its clock: for tests that move
     * {@link ServerOptions#ticks()} by hand. Any thread; never blocks.
     */
    public CompletableFuture<Void> dueTimersRun() {
        return CompletableFuture.allOf(group.loops().stream().map(loop -> {
            var ran = new CompletableFuture<Void>();
            loop.schedule(Duration.ZERO, () -> ran.complete(null));
            return ran;
        }).toArray(CompletableFuture[]::new));
    }

    public InetSocketAddress localAddress() {
        return server.localAddress();
    }

    /** Connections open now (handshakes included). */
    public int openConnections() {
        return gate.open();
    }

    /** Connections refused at accept by a connection limit since start. */
    public long refusedConnections() {
        return gate.refused();
    }

    /** Stops accepting new connections; existing ones stay until {@link #close}. */
    public void stopAccepting() {
        if (accepting.compareAndSet(true, false)) {
            server.close();
        }
    }

    /** Closes every connection and stops the loop threads (bounded wait). */
    @Override
    public void close() {
        stopAccepting();
        group.shutdownGracefully();
        try {
            group.awaitTermination(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
