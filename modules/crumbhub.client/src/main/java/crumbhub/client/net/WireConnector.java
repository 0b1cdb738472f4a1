package crumbhub.client.net;

import crumbhub.client.ClientException;
import crumbhub.crypto.X25519KeyPair;
import crumbhub.wire.CloseReason;
import crumbhub.wire.ConnectionClosedException;
import crumbhub.wire.Frame;
import crumbhub.wire.loop.EventLoop;
import crumbhub.wire.net.ConnectionOptions;
import crumbhub.wire.net.RpcClient;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * {@link Connector} over {@code crumbhub.wire}: one event loop thread for all of a session's
 * connections, {@link RpcClient} for request ids, replies, PING/PONG and pushes. Translates the
 * wire's failures into one-line {@link ClientException}s.
 */
final class WireConnector implements Connector {
    /** How long close() waits for the loop thread to end. */
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

    private final EventLoop loop;

    private WireConnector(EventLoop loop) {
        this.loop = loop;
    }

    static WireConnector create() {
        return new WireConnector(new EventLoop("crumbhub-client-net"));
    }

    /** Resolves the host on the calling thread (DNS may block), then connects on the loop. */
    @Override
    public CompletableFuture<Link> connect(ServerAddress server, X25519KeyPair deviceKey,
                                           ClientSession.ServerKeyCheck check, Consumer<Frame> pushes) {
        var address = new InetSocketAddress(server.host(), server.port());
        if (address.isUnresolved()) {
            return CompletableFuture.failedFuture(ClientException.network("cannot connect to " + server
                    + ": unknown host " + server.host(), null));
        }
        var refusal = new AtomicReference<ClientException>();
        return RpcClient.connect(address, loop, deviceKey, key -> {
            try {
                check.check(key);
                return true;
            } catch (ClientException e) {
                refusal.set(e);
                return false;
            }
        }, pushes, ConnectionOptions.client()).handle((rpc, failure) -> {
            if (failure == null) {
                return new RpcLink(server, rpc);
            }
            if (refusal.get() != null) {
                throw refusal.get();
            }
            throw translate("cannot connect to " + server, failure);
        });
    }

    @Override
    public void close() {
        try {
            loop.shutdownGracefully().get(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the client's network thread did not stop", e);
        }
    }

    /** A wire failure as one user-facing sentence: {@code what: why}. */
    static ClientException translate(String what, Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ClientException ce) {
            return ce;
        }
        if (cause instanceof ConnectionClosedException closed) {
            return ClientException.network(what + ": " + describe(closed.reason()), cause);
        }
        if (cause instanceof RejectedExecutionException) {
            return ClientException.network(what + ": the connection is not keeping up (outbound buffer full)", cause);
        }
        String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return ClientException.network(what + ": " + ClientSession.printable(detail), cause);
    }

    private static String describe(CloseReason reason) {
        String detail = ClientSession.printable(reason.detail());
        return switch (reason.kind()) {
            case CONNECT_FAILED -> reason.cause() != null && reason.cause().getMessage() != null
                    ? ClientSession.printable(reason.cause().getMessage())
                    : detail.isEmpty() ? "connection failed" : detail;
            case PEER_CLOSED -> "the server closed the connection";
            case HANDSHAKE_TIMEOUT -> "the server did not complete the handshake in time";
            case HANDSHAKE_FAILED, PROTOCOL_ERROR -> "secure handshake or decryption failed (" + detail + ")";
            case VERSION_MISMATCH -> "the server speaks another protocol version (" + detail + ")";
            case KEY_REJECTED -> "the server's key was refused";
            case IDLE_TIMEOUT -> "no data from the server for too long";
            case MALFORMED_FRAME -> "the server sent a malformed frame (" + detail + ")";
            case IO_ERROR -> "network error (" + detail + ")";
            case LOCAL, SHUTDOWN -> "connection closed";
            case REFUSED -> detail;
            case NONCE_EXHAUSTED, HANDLER_ERROR, FLUSH_TIMEOUT -> reason.kind().name().toLowerCase(java.util.Locale.ROOT) + " (" + detail + ")";
        };
    }

    /** One connection. */
    private record RpcLink(ServerAddress server, RpcClient rpc) implements Link {
        @Override
        public byte[] serverStaticKey() {
            return rpc.serverKey();
        }

        @Override
        public CompletableFuture<Frame> request(IntFunction<Frame> request) {
            return rpc.request(request).handle((reply, failure) -> {
                if (failure != null) {
                    throw translate("connection to " + server + " lost", failure);
                }
                return reply;
            });
        }

        @Override
        public CompletableFuture<Void> closed() {
            return rpc.closed().thenApply(reason -> null);
        }

        @Override
        public void close() {
            rpc.close();
        }
    }
}
