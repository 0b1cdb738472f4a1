package crumbhub.client.irc;

import crumbhub.client.ClientException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's listening socket: accepts IRC clients and gives each its own virtual thread.
 *
 * <p>Why a thread per connection and not a Selector loop (docs/threading.md uses loops for the
 * server): the gateway serves one user, who connects one client or two, so there is nothing to
 * multiplex; blocking reads make registration and flood control straight-line code; and the
 * session thread needs a write that returns only once the line is in the socket, so that a
 * message is acknowledged to the server only after the IRC client has been sent it. A client that
 * stops reading would block such a write: a watchdog closes any connection whose write has been
 * stuck for {@link IrcConnection#WRITE_TIMEOUT}.
 *
 * <pre>
 *   start() ──► LISTENING (accept thread, watchdog) ──close()──► CLOSED (every connection closed)
 * </pre>
 */
public final class IrcServer implements AutoCloseable {
    /** At most this many connections at once: one user needs a few; a local process opening thousands gets refused. */
    static final int MAX_CONNECTIONS = 16;

    private final ServerSocket socket;
    private final Gateway gateway;
    private final IrcOptions options;
    private final Set<IrcConnection> connections = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService watchdog;
    private final Thread acceptor;
    private volatile boolean closed;

    private IrcServer(ServerSocket socket, Gateway gateway, IrcOptions options) {
        this.socket = socket;
        this.gateway = gateway;
        this.options = options;
        this.watchdog = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("crumbhub-irc-watchdog")
                .daemon().factory());
        this.acceptor = Thread.ofPlatform().name("crumbhub-irc-accept").daemon().unstarted(this::acceptLoop);
    }

    /** Binds {@code options.listen()} and starts accepting. */
    public static IrcServer start(Gateway gateway, IrcOptions options) {
        ServerSocket socket;
        try {
            socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(options.listen(), 16);
        } catch (IOException e) {
            throw ClientException.usage("cannot listen on " + options.listen().getAddress().getHostAddress() + ":"
                    + options.listen().getPort() + ": " + e.getMessage());
        }
        var server = new IrcServer(socket, gateway, options);
        server.watchdog.scheduleWithFixedDelay(server::checkWrites, 1, 1, TimeUnit.SECONDS);
        server.acceptor.start();
        return server;
    }

    /** The bound address (the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = socket.accept();
            } catch (IOException e) {
                if (!closed) {
                    gateway.log("irc_accept_failed", e.getMessage());
                }
                continue;
            }
            try {
                s.setTcpNoDelay(true);
                var connection = new IrcConnection(s, gateway, options);
                if (connections.size() >= MAX_CONNECTIONS) {
                    connection.close("Too many connections");
                    continue;
                }
                connections.add(connection);
                Thread.ofVirtual().name("crumbhub-irc-client").start(() -> {
                    try {
                        connection.run();
                    } finally {
                        connections.remove(connection);
                    }
                });
            } catch (IOException e) {
                gateway.log("irc_accept_failed", e.getMessage());
                closeQuietly(s);
            }
        }
    }

    private void checkWrites() {
        long now = System.nanoTime();
        for (IrcConnection c : connections) {
            if (c.writeStuck(now)) {
                c.closeSocket();
            }
        }
    }

    /** Stops accepting and closes every connection. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(socket);
        watchdog.shutdownNow();
        for (IrcConnection c : connections) {
            if (c.writeStuck(Long.MAX_VALUE)) {
                c.closeSocket(); // a stuck write holds the connection's lock: no goodbye line
            } else {
                c.close("Gateway shutting down");
            }
        }
    }

    private void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            gateway.log("irc_close_failed", e.getMessage());
        }
    }
}
