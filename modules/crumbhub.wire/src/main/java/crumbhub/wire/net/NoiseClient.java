package crumbhub.wire.net;

import crumbhub.crypto.X25519KeyPair;
import crumbhub.wire.loop.EventLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;

/** Opens client-side (initiator) Noise connections. */
public final class NoiseClient {
    private NoiseClient() {}

    /**
     * Starts connecting to {@code server} on {@code loop} and returns at once; the handler hears
     * {@code acceptRemoteKey} (pin the server key there), then {@code onReady}, or {@code onClosed}
     * with the reason it failed (connect errors and the handshake timeout included). The
     * connection works on its own copy of {@code deviceKey}, zeroed when it closes.
     *
     * @param server a resolved address
     * @throws IOException if no socket can be opened, or the loop has shut down
     */
    public static Connection connect(InetSocketAddress server, EventLoop loop, X25519KeyPair deviceKey,
            ConnectionHandler handler, ConnectionOptions options) throws IOException {
        return connect(server, null, loop, deviceKey, handler, options);
    }

    /**
     * As {@link #connect(InetSocketAddress, EventLoop, X25519KeyPair, ConnectionHandler, ConnectionOptions)}
     * from the local address {@code local} (for example one of several 127.0.0.x addresses in tests
     * and load generators, which servers limit per source address, and because one source address
     * reaches one server address from only about 28,000 ephemeral ports); null lets the system choose.
     *
     * @throws IOException also if {@code local} cannot be bound
     */
    public static Connection connect(InetSocketAddress server, InetSocketAddress local, EventLoop loop,
            X25519KeyPair deviceKey, ConnectionHandler handler, ConnectionOptions options) throws IOException {
        if (server.isUnresolved()) {
            throw new IOException("cannot resolve " + server.getHostString());
        }
        byte[] priv = deviceKey.privateKey();
        X25519KeyPair copy;
        try {
            copy = X25519KeyPair.fromPrivate(priv);
        } finally {
            Arrays.fill(priv, (byte) 0);
        }
        return NoiseConnection.connect(server, local, loop, copy, handler, options);
    }
}
