package crumbhub.wire.net;

import crumbhub.crypto.X25519KeyPair;
import crumbhub.wire.CloseReason;
import crumbhub.wire.ConnectionClosedException;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.Frame;
import crumbhub.wire.log.Log;
import crumbhub.wire.loop.Cancellable;
import crumbhub.wire.loop.EventLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * Request/reply over one client connection, for the CLI tools and the bench: each request gets
 * a fresh non-zero id and a future that completes with the reply carrying that id (its specific
 * reply, {@code OK} or {@code ERROR}, §2). Frames with id 0 (server pushes) go to the push
 * listener. The client answers the server's {@code PING} itself and sends one every 60 seconds
 * (§1) to keep the connection alive.
 *
 * <p>Thread-safe. Futures complete, and the push listener runs, on the connection's loop thread:
 * they must not block it. Blocking callers use {@code future.get(timeout)} from their own thread.
 * When the connection closes, every pending future fails with {@link ConnectionClosedException}.
 */
public final class RpcClient implements AutoCloseable {
    private static final Log LOG = Log.get(RpcClient.class.getName());
    /** §1: clients send PING every 60 s, well inside the server's 300 s idle timeout. */
    static final Duration PING_INTERVAL = Duration.ofSeconds(60);

    private final Predicate<byte[]> acceptServerKey;
    private final Consumer<Frame> pushes;
    private final CompletableFuture<RpcClient> ready = new CompletableFuture<>();
    private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    private final Map<Integer, CompletableFuture<Frame>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger lastId = new AtomicInteger();
    private volatile Connection connection;
    private Cancellable pingTimer;

    private RpcClient(Predicate<byte[]> acceptServerKey, Consumer<Frame> pushes) {
        this.acceptServerKey = acceptServerKey;
        this.pushes = pushes;
    }

    /**
     * Connects and completes when the handshake finished, or fails with
     * {@link ConnectionClosedException} saying why not (a rejected server key included).
     *
     * @param acceptServerKey decides on the server's static key before the handshake completes
     *                        (pinning); runs on the loop thread
     * @param pushes          receives server pushes (id 0) on the loop thread; must not block
     */
    public static CompletableFuture<RpcClient> connect(InetSocketAddress server, EventLoop loop,
            X25519KeyPair deviceKey, Predicate<byte[]> acceptServerKey, Consumer<Frame> pushes,
            ConnectionOptions options) {
        return connect(server, null, loop, deviceKey, acceptServerKey, pushes, options);
    }

    /** As the other {@code connect}, from the local address {@code local} (null: the system chooses). */
    public static CompletableFuture<RpcClient> connect(InetSocketAddress server, InetSocketAddress local,
            EventLoop loop, X25519KeyPair deviceKey, Predicate<byte[]> acceptServerKey, Consumer<Frame> pushes,
            ConnectionOptions options) {
        var rpc = new RpcClient(Objects.requireNonNull(acceptServerKey), Objects.requireNonNull(pushes));
        try {
            rpc.connection = NoiseClient.connect(server, local, loop, deviceKey, rpc.new Handler(), options);
        } catch (IOException e) {
            rpc.ready.completeExceptionally(new ConnectionClosedException(
                    new CloseReason(CloseReason.Kind.CONNECT_FAILED, e.getMessage(), e)));
        }
        return rpc.ready;
    }

    /**
     * Sends the frame {@code build} makes for a fresh request id and returns the reply's future.
     * Fails at once with {@link ConnectionClosedException} if the connection is closed, or with
     * {@link RejectedExecutionException} if its outbound buffer is full.
     *
     * @param build makes the request frame carrying the given id
     */
    public CompletableFuture<Frame> request(IntFunction<Frame> build) {
        int id = nextId();
        Frame frame = build.apply(id);
        if (frame.requestId() != id) {
            throw new IllegalArgumentException("the request frame must carry the id it was given");
        }
        var reply = new CompletableFuture<Frame>();
        pending.put(id, reply);
        if (closed.isDone()) {
            failPending(closed.join());
        } else if (!connection.send(frame)) {
            pending.remove(id);
            CloseReason reason = connection.closeReason();
            reply.completeExceptionally(reason != null ? new ConnectionClosedException(reason)
                    : new RejectedExecutionException("outbound buffer full"));
        }
        return reply;
    }

    /** A non-zero id no pending request uses; wraps around after 2^32 requests. */
    private int nextId() {
        while (true) {
            int id = lastId.incrementAndGet();
            if (id != 0 && !pending.containsKey(id)) {
                return id;
            }
        }
    }

    /** The connection underneath. */
    public Connection connection() {
        return connection;
    }

    /** A copy of the server's static key. */
    public byte[] serverKey() {
        return connection.remoteStatic();
    }

    /** Completes with the reason when the connection closes. */
    public CompletableFuture<CloseReason> closed() {
        return closed;
    }

    public boolean isOpen() {
        return connection.isOpen();
    }

    /** Closes the connection; pending requests fail. Idempotent. */
    @Override
    public void close() {
        connection.close();
    }

    private void failPending(CloseReason reason) {
        for (var id : pending.keySet()) {
            var f = pending.remove(id);
            if (f != null) {
                f.completeExceptionally(new ConnectionClosedException(reason));
            }
        }
    }

    private void ping() {
        if (!connection.isOpen()) {
            return;
        }
        request(id -> new ControlFrame.Ping(id, System.nanoTime())).whenComplete((reply, failure) -> {
            if (failure != null) {
                LOG.debug("keepalive_failed", "error", failure.getMessage());
            }
        });
        pingTimer = connection.loop().schedule(PING_INTERVAL, this::ping);
    }

    /** Runs on the connection's loop thread. */
    private final class Handler implements ConnectionHandler {
        @Override
        public boolean acceptRemoteKey(Connection c, byte[] remoteStatic) {
            return acceptServerKey.test(remoteStatic);
        }

        @Override
        public void onReady(Connection c) {
            connection = c; // the loop may get here before connect() stored it
            pingTimer = c.loop().schedule(PING_INTERVAL, RpcClient.this::ping);
            ready.complete(RpcClient.this);
        }

        @Override
        public void onFrame(Connection c, Frame frame) {
            if (frame instanceof ControlFrame.Ping p) {
                c.send(new ControlFrame.Pong(p.requestId(), p.nonce()));
                return;
            }
            CompletableFuture<Frame> reply = frame.requestId() == 0 ? null : pending.remove(frame.requestId());
            if (reply != null) {
                reply.complete(frame);
            } else {
                pushes.accept(frame);
            }
        }

        @Override
        public void onClosed(Connection c, CloseReason reason) {
            connection = c;
            if (pingTimer != null) {
                pingTimer.cancel();
            }
            closed.complete(reason);
            ready.completeExceptionally(new ConnectionClosedException(reason));
            failPending(reason);
        }
    }
}
