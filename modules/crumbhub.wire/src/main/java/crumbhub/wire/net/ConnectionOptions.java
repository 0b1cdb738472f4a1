package crumbhub.wire.net;

import crumbhub.wire.Protocol;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of Noise connections, validated once. Start from {@link #server()} or {@link #client()}
 * and change fields with the {@code with…} methods.
 *
 * @param handshakeTimeout           from accept (or connect) to the end of the handshake (§1: 10 s on the server)
 * @param idleTimeout                close after this long without an inbound frame; {@link Duration#ZERO} disables (§1: 300 s)
 * @param outboundSoftLimit          bytes queued for the peer above which the connection reports itself unwritable;
 *                                   it becomes writable again at half this value
 * @param outboundHardLimit          bytes queued above which {@code send} refuses frames, so a peer that does not
 *                                   read cannot grow memory
 * @param pauseReadingWhenUnwritable stop reading while unwritable, pushing back on a peer that sends requests
 *                                   without reading replies. Only one side of a connection may pause (the server),
 *                                   or two peers that both stop reading would wait on each other forever.
 * @param rekeyInterval              transport messages per direction between Noise rekeys; both sides must agree
 *                                   (§1: 2^20). Smaller only in tests.
 * @param closeFlushTimeout          how long {@code closeAfterFlush} waits for the peer to take queued bytes
 * @param random                     randomness for ephemeral keys
 * @param quietAfter                 after this long without a transport message either way, the connection drops
 *                                   its cipher objects and empty queues (about 2 KB) until the next message, so an
 *                                   idle connection costs little memory; {@link Duration#ZERO} disables
 */
public record ConnectionOptions(
        Duration handshakeTimeout,
        Duration idleTimeout,
        int outboundSoftLimit,
        int outboundHardLimit,
        boolean pauseReadingWhenUnwritable,
        long rekeyInterval,
        Duration closeFlushTimeout,
        SecureRandom random,
        Duration quietAfter) {

    /** Default soft limit: a few full Noise messages, enough to keep a fast link busy. */
    public static final int DEFAULT_SOFT_LIMIT = 256 * 1024;
    /** Default hard limit: headroom above the soft limit for replies while live pushes are held back. */
    public static final int DEFAULT_HARD_LIMIT = 1024 * 1024;
    /**
     * Default quiet period. Taking a pooled cipher back costs about a microsecond, so a connection
     * may go quiet between any two messages a person sends; short, so that a burst of new
     * connections (each busy only while it authenticates) gives its ciphers back to the pool before
     * they age into long-lived garbage.
     */
    public static final Duration DEFAULT_QUIET_AFTER = Duration.ofSeconds(2);

    public ConnectionOptions {
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(closeFlushTimeout, "closeFlushTimeout");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(quietAfter, "quietAfter");
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshakeTimeout must be positive");
        }
        if (idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idleTimeout must not be negative");
        }
        if (closeFlushTimeout.isNegative() || closeFlushTimeout.isZero()) {
            throw new IllegalArgumentException("closeFlushTimeout must be positive");
        }
        if (outboundSoftLimit < 1 || outboundHardLimit < outboundSoftLimit) {
            throw new IllegalArgumentException("need 0 < outboundSoftLimit <= outboundHardLimit");
        }
        if (quietAfter.isNegative()) {
            throw new IllegalArgumentException("quietAfter must not be negative");
        }
        if (rekeyInterval < 1) {
            throw new IllegalArgumentException("rekeyInterval must be positive");
        }
    }

    /** Server side of docs/protocol.md §1: handshake 10 s, idle 300 s, reading paused while unwritable. */
    public static ConnectionOptions server() {
        return new ConnectionOptions(Duration.ofSeconds(10), Duration.ofSeconds(300), DEFAULT_SOFT_LIMIT,
                DEFAULT_HARD_LIMIT, true, Protocol.REKEY_INTERVAL, Duration.ofSeconds(5), new SecureRandom(),
                DEFAULT_QUIET_AFTER);
    }

    /**
     * Client side: handshake (connect included) 10 s; idle 180 s, three missed 60-second PING
     * rounds, so a dead server is noticed; always reads.
     */
    public static ConnectionOptions client() {
        return new ConnectionOptions(Duration.ofSeconds(10), Duration.ofSeconds(180), DEFAULT_SOFT_LIMIT,
                DEFAULT_HARD_LIMIT, false, Protocol.REKEY_INTERVAL, Duration.ofSeconds(5), new SecureRandom(),
                DEFAULT_QUIET_AFTER);
    }

    public ConnectionOptions withHandshakeTimeout(Duration d) {
        return new ConnectionOptions(d, idleTimeout, outboundSoftLimit, outboundHardLimit, pauseReadingWhenUnwritable,
                rekeyInterval, closeFlushTimeout, random, quietAfter);
    }

    public ConnectionOptions withIdleTimeout(Duration d) {
        return new ConnectionOptions(handshakeTimeout, d, outboundSoftLimit, outboundHardLimit,
                pauseReadingWhenUnwritable, rekeyInterval, closeFlushTimeout, random, quietAfter);
    }

    public ConnectionOptions withOutboundLimits(int soft, int hard) {
        return new ConnectionOptions(handshakeTimeout, idleTimeout, soft, hard, pauseReadingWhenUnwritable,
                rekeyInterval, closeFlushTimeout, random, quietAfter);
    }

    public ConnectionOptions withPauseReadingWhenUnwritable(boolean pause) {
        return new ConnectionOptions(handshakeTimeout, idleTimeout, outboundSoftLimit, outboundHardLimit, pause,
                rekeyInterval, closeFlushTimeout, random, quietAfter);
    }

    public ConnectionOptions withRekeyInterval(long messages) {
        return new ConnectionOptions(handshakeTimeout, idleTimeout, outboundSoftLimit, outboundHardLimit,
                pauseReadingWhenUnwritable, messages, closeFlushTimeout, random, quietAfter);
    }

    public ConnectionOptions withCloseFlushTimeout(Duration d) {
        return new ConnectionOptions(handshakeTimeout, idleTimeout, outboundSoftLimit, outboundHardLimit,
                pauseReadingWhenUnwritable, rekeyInterval, d, random, quietAfter);
    }

    public ConnectionOptions withRandom(SecureRandom rng) {
        return new ConnectionOptions(handshakeTimeout, idleTimeout, outboundSoftLimit, outboundHardLimit,
                pauseReadingWhenUnwritable, rekeyInterval, closeFlushTimeout, rng, quietAfter);
    }

    public ConnectionOptions withQuietAfter(Duration d) {
        return new ConnectionOptions(handshakeTimeout, idleTimeout, outboundSoftLimit, outboundHardLimit,
                pauseReadingWhenUnwritable, rekeyInterval, closeFlushTimeout, random, d);
    }
}
