package crumbhub.server.admin;

import crumbhub.wire.loop.FatalErrors;
import crumbhub.wire.log.Log;
import crumbhub.server.store.OwnerOnly;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import jdk.net.ExtendedSocketOptions;

/**
 * Serves the admin socket ({@code admin.sock} in the data directory) on one dedicated thread, one
 * request at a time. Access control (docs/design.md §9, docs/security.md "Files and modes"): the
 * socket is bound only inside a directory no other user may enter (0700), so no one else can
 * reach it even while it is being created; it is then made 0600; and each connection's peer
 * user, from the kernel ({@code SO_PEERCRED}), must be the user that owns the socket (the
 * server's own), or the request is refused unread. For each accepted connection:
 * read one line, run it, write the response, close. While a request runs, the handler may send
 * {@code progress <text>} lines ahead of the response. A client that does not send its request
 * line within {@link #DEADLINE} is cut off so it cannot hold the thread.
 */
public final class AdminServer implements AutoCloseable {
    public static final String SOCKET = "admin.sock";
    static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final Log LOG = Log.get("crumbhub.server.admin");

    private final Path path;
    private final UserPrincipal owner;
    private final ServerSocketChannel channel;
    private final Handler handler;
    private final Thread thread;
    private final ScheduledExecutorService watchdog;

    /** Runs one request line on the admin thread; may block; reports progress through {@code progress}. */
    public interface Handler {
        AdminResponse handle(String line, Consumer<String> progress);
    }

    private AdminServer(Path path, UserPrincipal owner, ServerSocketChannel channel, Handler handler) {
        this.path = path;
        this.owner = owner;
        this.channel = channel;
        this.handler = handler;
        this.watchdog = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().name("crumbhub-admin-watchdog").daemon(true).unstarted(r));
        this.thread = Thread.ofPlatform().name("crumbhub-admin").daemon(true).unstarted(this::serve);
    }

    /**
     * Binds {@code dataDir/admin.sock} (replacing a stale socket file: the caller holds the data
     * directory's lock, so no other server uses it) and starts serving.
     *
     * @throws IOException also if {@code dataDir} is open to other users (then anyone could
     *                     connect before the socket's own mode is set)
     * @param handler runs a request line and returns its response; called on the admin thread
     */
    public static AdminServer start(Path dataDir, Handler handler) throws IOException {
        String exposure = OwnerOnly.exposure(dataDir);
        if (exposure != null) {
            throw new IOException(exposure);
        }
        Path path = dataDir.resolve(SOCKET);
        Files.deleteIfExists(path);
        var ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        UserPrincipal owner;
        try {
            ch.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            owner = Files.getOwner(path);
        } catch (IOException | UnsupportedOperationException e) {
            ch.close();
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
        var server = new AdminServer(path, owner, ch, handler);
        server.thread.start();
        return server;
    }

    public Path path() {
        return path;
    }

    private void serve() {
        while (channel.isOpen()) {
            try (SocketChannel client = channel.accept()) {
                if (!fromOwner(client)) {
                    write(client, AdminResponse.error(
                            "permission denied: run admin commands as the user that runs the server"));
                    continue;
                }
                var cutoff = watchdog.schedule(FatalErrors.reporting(() -> closeQuietly(client)), DEADLINE.toMillis(),
                        TimeUnit.MILLISECONDS);
                String line;
                try {
                    line = readLine(client);
                } finally {
                    cutoff.cancel(false);
                }
                AdminResponse r = line == null ? AdminResponse.error("request line too long or missing")
                        : handler.handle(line, text -> progress(client, text));
                write(client, r);
            } catch (ClosedChannelException e) {
                if (!channel.isOpen()) {
                    return;
                }
                LOG.warn("admin_client_cut_off");
            } catch (IOException e) {
                LOG.warn("admin_io_failed", "error", e.getMessage());
            } catch (RuntimeException e) {
                LOG.error(e, "admin_request_failed");
            }
        }
    }

    /** Whether the kernel says the peer runs as the socket's owner; refused when it cannot say. */
    private boolean fromOwner(SocketChannel client) {
        try {
            UserPrincipal peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED).user();
            if (peer.equals(owner)) {
                return true;
            }
            LOG.warn("admin_peer_refused", "peer_user", peer.getName());
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("admin_peer_unknown", "error", e.getMessage());
        }
        return false;
    }

    private static String readLine(SocketChannel client) throws IOException {
        var buf = ByteBuffer.allocate(AdminRequest.MAX_LINE + 1);
        while (buf.hasRemaining()) {
            if (client.read(buf) < 0) {
                break;
            }
            for (int i = 0; i < buf.position(); i++) {
                if (buf.get(i) == '\n') {
                    return new String(buf.array(), 0, i, StandardCharsets.UTF_8);
                }
            }
        }
        return null;
    }

    /** Sends one progress line; a client that went away only loses its progress, the work goes on. */
    private static void progress(SocketChannel client, String text) {
        try {
            writeAll(client, "progress " + crumbhub.wire.SafeText.escape(text) + "\n");
        } catch (IOException e) {
            LOG.debug("admin_progress_lost", "error", e.getMessage());
        }
    }

    private static void writeAll(SocketChannel client, String text) throws IOException {
        var buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
            client.write(buf);
        }
    }

    private static void write(SocketChannel client, AdminResponse r) throws IOException {
        var out = new StringBuilder(r.ok() ? "ok\n" : "error " + r.error() + "\n");
        for (String line : r.lines()) {
            out.append(line).append('\n');
        }
        var buf = ByteBuffer.wrap(out.toString().getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
            client.write(buf);
        }
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.debug("admin_close_failed", "error", e.getMessage());
        }
    }

    /** Stops serving and removes the socket file. Blocks up to a few seconds for a request in progress. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("admin_close_failed", "error", e.getMessage());
        }
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watchdog.shutdownNow();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.debug("admin_socket_not_removed", "error", e.getMessage());
        }
    }
}
