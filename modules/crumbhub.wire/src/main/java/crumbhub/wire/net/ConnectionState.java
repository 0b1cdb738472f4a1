package crumbhub.wire.net;

import crumbhub.wire.CloseReason;
import crumbhub.wire.loop.Cancellable;
import java.time.Duration;

/**
 * Where a {@link NoiseConnection} is in the lifecycle drawn in {@link Connection}, with the data
 * that exists only there: the handshake and its timer while connecting and handshaking, the
 * transport keys and the idle bookkeeping while open, the reason and the flush timer while
 * closing, the reason once closed. The connection holds exactly one; each transition replaces it
 * with one assignment in one method of {@link NoiseConnection}, so a state object is allocated
 * only on a transition, never per frame or per read or write.
 *
 * <p>Written on the connection's loop thread only; other threads read it (through a volatile
 * field) for {@link Connection#isOpen()}, {@link Connection#closeReason()} and whether a send is
 * refused, and read nothing but its type and final fields.
 */
sealed interface ConnectionState {

    /** Diagram name of the state, for {@code toString}. */
    String name();

    /**
     * Client: the TCP connect is under way; either side: the socket is not yet registered with
     * the loop. {@code handshakeTimer} bounds connect and handshake together.
     */
    record Connecting(Cancellable handshakeTimer) implements ConnectionState {
        /** Before the socket is on the loop: no timer runs yet. */
        static final Connecting NOT_STARTED = new Connecting(NoTimer.INSTANCE);

        @Override
        public String name() {
            return "CONNECTING";
        }
    }

    /** The Noise handshake of docs/protocol.md §1 is under way; frames sent meanwhile wait. */
    record Handshaking(HandshakePhase phase, Cancellable handshakeTimer) implements ConnectionState {
        @Override
        public String name() {
            return "HANDSHAKE";
        }
    }

    /**
     * The handshake finished: frames flow both ways. Owns the connection's one timer while open,
     * for the idle timeout and for going quiet (docs/threading.md §3–§4). Its bookkeeping changes
     * with every message, so it is updated in place (loop thread) instead of being replaced.
     */
    final class Open implements ConnectionState {
        final TransportPhase transport;
        private final NoiseConnection connection;
        private final long idleTimeout;
        private final long quietAfter;
        /** Last inbound transport message, on the loop's clock: the idle timeout counts from it. */
        private long lastFrameNanos;
        /** Last transport message in or out: going quiet counts from it. */
        private long lastActiveNanos;
        /** The timer, or null while neither the idle timeout nor going quiet applies. */
        private Cancellable timer;
        /** When {@link #timer} fires, on the loop's clock. */
        private long timerDue;
        /** Cipher objects and the empty frame queue were dropped (docs/threading.md §4). */
        private boolean quiet;
        /** Reading stopped because the connection is unwritable ({@link ConnectionOptions#pauseReadingWhenUnwritable()}). */
        boolean readPaused;
        /** The writability the handler last heard of. */
        boolean notifiedWritable = true;

        /** Open since {@code now}; starts the timer. */
        Open(NoiseConnection connection, TransportPhase transport, long now) {
            this.connection = connection;
            this.transport = transport;
            this.idleTimeout = connection.options.idleTimeout().toNanos();
            this.quietAfter = connection.options.quietAfter().toNanos();
            this.lastFrameNanos = now;
            this.lastActiveNanos = now;
            armTimer(now);
        }

        /** A transport message was decrypted at {@code now}: the connection is not idle. */
        void frameArrived(long now) {
            lastFrameNanos = now;
            active(now);
        }

        /** A transport message went either way at {@code now}. */
        void active(long now) {
            lastActiveNanos = now;
            if (quiet) {
                quiet = false;
                // the timer may be set for the idle deadline, far off: bring it forward so that the
                // connection can go quiet again after this burst
                if (timer == null || timerDue - (now + quietAfter) > 0) {
                    cancelTimer();
                    armTimer(now);
                }
            }
        }

        boolean isQuiet() {
            return quiet;
        }

        /** Stops the timer: the connection leaves this state. */
        void cancelTimer() {
            if (timer != null) {
                timer.cancel();
                timer = null;
            }
        }

        /** Sets the timer for the next idle-timeout check or the moment to go quiet, whichever is first. */
        private void armTimer(long now) {
            long delay = Long.MAX_VALUE;
            if (idleTimeout != 0) {
                long idle = now - lastFrameNanos;
                delay = idle >= idleTimeout ? idleTimeout : idleTimeout - idle; // over only while reading is paused
            }
            if (!quiet && quietAfter != 0) {
                delay = Math.min(delay, Math.max(0, lastActiveNanos + quietAfter - now));
            }
            if (delay == Long.MAX_VALUE) {
                timer = null;
                return;
            }
            timerDue = now + delay;
            timer = connection.loop.schedule(Duration.ofNanos(delay), this::onTimer);
        }

        private void onTimer() {
            timer = null;
            if (connection.state != this) {
                return;
            }
            long now = connection.loop.nanoTime();
            if (idleTimeout != 0 && now - lastFrameNanos >= idleTimeout && !readPaused) {
                connection.closeNow(CloseReason.of(CloseReason.Kind.IDLE_TIMEOUT, "no frame for "
                        + NoiseConnection.describe(connection.options.idleTimeout())));
                return;
            }
            if (!quiet && quietAfter != 0 && now - lastActiveNanos >= quietAfter) {
                // drop what a quiet connection does not need until its next message
                quiet = true;
                transport.release();
                connection.outbound.compact();
            }
            armTimer(now);
        }

        @Override
        public String name() {
            return "OPEN";
        }
    }

    /**
     * {@code closeAfterFlush()} or a malformed frame on the server: reads are discarded, queued
     * frames (and those still on their way from other threads) are flushed; then FIN.
     */
    record Closing(TransportPhase transport, CloseReason reason, Cancellable closeTimer) implements ConnectionState {
        @Override
        public String name() {
            return "CLOSING";
        }
    }

    /** Everything was flushed and the output shut down (FIN): waiting for the peer's EOF, discarding reads. */
    record FinSent(TransportPhase transport, CloseReason reason, Cancellable closeTimer) implements ConnectionState {
        @Override
        public String name() {
            return "FIN_SENT";
        }
    }

    /** Socket closed, keys zeroed, {@code onClosed(reason)} called once. Final. */
    record Closed(CloseReason reason) implements ConnectionState {
        @Override
        public String name() {
            return "CLOSED";
        }
    }

    /** The timer of a connection whose socket is not yet on its loop. */
    enum NoTimer implements Cancellable {
        INSTANCE;

        @Override
        public boolean cancel() {
            return false;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }
    }
}
