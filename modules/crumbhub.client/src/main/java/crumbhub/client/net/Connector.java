package crumbhub.client.net;

import crumbhub.crypto.X25519KeyPair;
import crumbhub.wire.Frame;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** Opens {@link Link}s: TCP, the Noise handshake, the server key check. */
interface Connector extends AutoCloseable {
    /**
     * Connects to {@code server} with {@code deviceKey} as the Noise static key. {@code check}
     * runs on the network thread with the server's static key once handshake message 2 has
     * been read; if it throws, the connection is dropped and the future fails with that
     * exception. Pushes (DELIVER) go to {@code pushes} on the network thread.
     */
    CompletableFuture<Link> connect(ServerAddress server, X25519KeyPair deviceKey, ClientSession.ServerKeyCheck check,
                                    Consumer<Frame> pushes);

    /** Stops the network threads; open links are closed. */
    @Override
    void close();
}
