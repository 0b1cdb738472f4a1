package crumbhub.wire.net;

import java.net.InetSocketAddress;

/**
 * Decides, right after accept and before a single byte is read or any cryptography runs, whether
 * a connection may proceed: the place for connection limits (per source address, in total).
 * A refused socket gets the refusal marker of docs/protocol.md §1 (a zero length where handshake
 * message 2 belongs) and is closed, so the client can say why in one line.
 */
@FunctionalInterface
public interface Admission {
    /** Admits everything. */
    Admission ALL = remote -> () -> { };

    /**
     * Runs on the acceptor loop thread and must not block.
     *
     * @return an action that {@link NoiseServer} runs exactly once when the admitted connection has
     *         ended (on whichever loop thread closed it), or null to refuse the connection
     */
    Runnable admit(InetSocketAddress remote);
}
