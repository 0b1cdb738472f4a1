package crumbhub.client.net;

import crumbhub.wire.Frame;

import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/**
 * One established connection: the Noise handshake is done and the server's key was accepted.
 * Thread-safe; futures complete on the network thread.
 */
interface Link {
    /** The server's static public key (32 bytes) from the handshake. */
    byte[] serverStaticKey();

    /**
     * Sends the frame {@code request} builds from a fresh request id; the future completes with
     * the reply (its specific reply, OK or ERROR), or exceptionally when the connection closes first.
     */
    CompletableFuture<Frame> request(IntFunction<Frame> request);

    /** Completes when the connection has closed, for whatever reason. */
    CompletableFuture<Void> closed();

    /** Closes the connection; pending requests fail. Idempotent. */
    void close();
}
