package crumbhub.client.net;

import crumbhub.client.ClientException;
import crumbhub.crypto.X25519KeyPair;
import crumbhub.wire.AuthFrame;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.DeviceToken;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.Frame;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * The client's network session, shared by the commands, the terminal UI and the daemon:
 * connect, Noise handshake with the server key check (pinning), authenticate, requests with a
 * timeout, reconnect with the same credentials.
 *
 * <pre>
 *   connect ──> CONNECTED ──register/login/resume──> AUTHENTICATED ──(connection lost)──> DISCONNECTED
 *                                                       ^                                     │
 *                                                       └──────────── reconnect() ────────────┘
 * </pre>
 *
 * Threads: the public methods are called from one application thread and block for at most
 * the configured timeouts. Pushes reach the push listener on the network thread, in order;
 * the listener must not block (hand them to a queue).
 */
public final class ClientSession implements AutoCloseable {
    /** Timeouts. Connect covers TCP and the handshake; request covers one reply. */
    public record Options(Duration connectTimeout, Duration requestTimeout) {
        public static final Options DEFAULT = new Options(Duration.ofSeconds(15), Duration.ofSeconds(30));

        public Options {
            Objects.requireNonNull(connectTimeout);
            Objects.requireNonNull(requestTimeout);
        }
    }

    /**
     * Decides whether the server's static key is acceptable (known_servers, {@code --fingerprint}).
     * Runs on the network thread during the handshake: memory only, no I/O; throws a
     * {@link ClientException} to refuse.
     */
    @FunctionalInterface
    public interface ServerKeyCheck {
        void check(byte[] serverStaticKey);
    }

    private final Connector connector;
    private final boolean ownsConnector;
    private final ServerAddress server;
    private final X25519KeyPair deviceKey;
    private final ServerKeyCheck check;
    private final Options options;
    private final Consumer<Frame> pushes;
    private volatile Link link;
    private String user;
    private int deviceId;
    private DeviceToken token;

    private ClientSession(Connector connector, boolean ownsConnector, ServerAddress server, X25519KeyPair deviceKey,
                          ServerKeyCheck check, Options options, Consumer<Frame> pushes) {
        this.connector = connector;
        this.ownsConnector = ownsConnector;
        this.server = server;
        this.deviceKey = deviceKey;
        this.check = check;
        this.options = options;
        this.pushes = pushes;
    }

    /**
     * Connects to {@code server} and runs the handshake; not yet authenticated. The caller keeps
     * ownership of {@code deviceKey} and closes it after this session.
     *
     * @throws ClientException network if it cannot connect; identity if {@code check} refuses the key
     */
    public static ClientSession connect(ServerAddress server, X25519KeyPair deviceKey, ServerKeyCheck check,
                                        Options options, Consumer<Frame> pushes) {
        var connector = WireConnector.create();
        try {
            return connect(connector, true, server, deviceKey, check, options, pushes);
        } catch (RuntimeException e) {
            connector.close();
            throw e;
        }
    }

    static ClientSession connect(Connector connector, boolean ownsConnector, ServerAddress server,
                                 X25519KeyPair deviceKey, ServerKeyCheck check, Options options,
                                 Consumer<Frame> pushes) {
        var session = new ClientSession(connector, ownsConnector, server, deviceKey, check, options, pushes);
        session.link = session.openLink();
        return session;
    }

    public ServerAddress server() {
        return server;
    }

    /** The server's static key seen in the current connection's handshake. */
    public byte[] serverPublicKey() {
        return currentLink().serverStaticKey();
    }

    /** REGISTER; on success the session is authenticated and remembers the credentials. */
    public AuthFrame.AuthOk register(String user, byte[] password, String invite, String deviceName) {
        return authenticated(call("registration", id -> new AuthFrame.Register(id, user, password, invite, deviceName),
                AuthFrame.AuthOk.class));
    }

    /** LOGIN; on success the session is authenticated and remembers the credentials. */
    public AuthFrame.AuthOk login(String user, byte[] password, String deviceName) {
        return authenticated(call("login", id -> new AuthFrame.Login(id, user, password, deviceName), AuthFrame.AuthOk.class));
    }

    /**
     * RESUME with a stored device token.
     *
     * @throws ClientException refused with "session expired" if the server no longer accepts the token
     */
    public AuthFrame.AuthOk resume(String user, int deviceId, byte[] token) {
        var t = DeviceToken.of(token);
        try {
            Frame reply = await("resume", currentLink().request(id -> new AuthFrame.Resume(id, user, deviceId, t)),
                    options.requestTimeout());
            if (reply instanceof ControlFrame.Error error && error.errorCode().orElse(null) == ErrorCode.BAD_CREDENTIALS) {
                throw ClientException.refused("session expired; run crumbhub-client login");
            }
            return authenticated(expect("resume", reply, AuthFrame.AuthOk.class));
        } finally {
            t.destroy();
        }
    }

    /**
     * Sends a request and waits for its reply.
     *
     * @param what     names the action in error sentences ("room create #dev")
     * @param request  builds the frame from the request id
     * @param expected the reply type; ERROR becomes a refused exception with the server's sentence
     * @throws ClientException refused (ERROR or an unexpected reply) or network (lost, timed out)
     */
    public <T extends Frame> T call(String what, IntFunction<Frame> request, Class<T> expected) {
        return expect(what, await(what, currentLink().request(request), options.requestTimeout()), expected);
    }

    private static <T extends Frame> T expect(String what, Frame reply, Class<T> expected) {
        if (expected.isInstance(reply)) {
            return expected.cast(reply);
        }
        if (reply instanceof ControlFrame.Error error) {
            throw ClientException.refusedByServer(what + " refused by the server: " + printable(error.message())
                    + " (" + printable(error.code()) + ")", error.code());
        }
        throw ClientException.refused(what + ": the server sent " + reply.typeName() + " instead of a reply");
    }

    /**
     * Sends every request before waiting for the first reply, then returns the replies in request
     * order, each waited for as {@link #call} waits (so a long list is not one timeout); the
     * first failure in order is thrown.
     */
    public <T extends Frame> java.util.List<T> callAll(String what, java.util.List<IntFunction<Frame>> requests,
                                                      Class<T> expected) {
        var link = currentLink();
        var pending = new java.util.ArrayList<CompletableFuture<Frame>>(requests.size());
        for (IntFunction<Frame> request : requests) {
            pending.add(link.request(request));
        }
        var replies = new java.util.ArrayList<T>(requests.size());
        for (CompletableFuture<Frame> reply : pending) {
            replies.add(expect(what, await(what, reply, options.requestTimeout()), expected));
        }
        return replies;
    }

    /** Sends a request without waiting; the future completes on the network thread. */
    public CompletableFuture<Frame> callAsync(IntFunction<Frame> request) {
        return currentLink().request(request);
    }

    /** Completes when the current connection closes. */
    public CompletableFuture<Void> disconnected() {
        return currentLink().closed();
    }

    public boolean isConnected() {
        var l = link;
        return l != null && !l.closed().isDone();
    }

    /**
     * Drops the current connection, connects again and resumes with the credentials of the last
     * successful authentication.
     */
    public void reconnect() {
        if (token == null) {
            throw new IllegalStateException("reconnect before authentication");
        }
        var old = link;
        if (old != null) {
            old.close();
        }
        link = openLink();
        var t = token.toByteArray();
        try {
            resume(user, deviceId, t);
        } finally {
            java.util.Arrays.fill(t, (byte) 0);
        }
    }

    @Override
    public void close() {
        var l = link;
        if (l != null) {
            l.close();
        }
        if (token != null) {
            token.destroy();
        }
        if (ownsConnector) {
            connector.close();
        }
    }

    private AuthFrame.AuthOk authenticated(AuthFrame.AuthOk ok) {
        if (token != null && token != ok.token()) {
            token.destroy();
        }
        user = ok.user();
        deviceId = ok.deviceId();
        token = ok.token();
        return ok;
    }

    private Link openLink() {
        return await("connecting to " + server, connector.connect(server, deviceKey, check, pushes),
                options.connectTimeout());
    }

    private Link currentLink() {
        var l = link;
        if (l == null) {
            throw new IllegalStateException("not connected");
        }
        return l;
    }

    private <T> T await(String what, CompletableFuture<T> future, Duration timeout) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw ClientException.network(what + ": no answer from " + server + " within "
                    + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ClientException.network(what + ": interrupted", e);
        } catch (CancellationException e) {
            throw ClientException.network(what + ": cancelled", e);
        } catch (ExecutionException e) {
            throw failure(what, e.getCause());
        }
    }

    private ClientException failure(String what, Throwable cause) {
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ClientException ce) {
            return ce;
        }
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return ClientException.network(what + ": " + printable(reason), cause);
    }

    /** Server text shown to the user: control characters removed, one line. */
    static String printable(String text) {
        var b = new StringBuilder();
        text.codePoints().forEach(cp -> b.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp));
        return b.toString().strip();
    }
}
