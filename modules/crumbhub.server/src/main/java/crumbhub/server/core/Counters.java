package crumbhub.server.core;

import java.util.concurrent.atomic.LongAdder;

/**
 * Event counters of a running server for {@code /metrics}. Each only grows (Prometheus counters;
 * rates are the scraper's job), except {@link #openConnections()}. Thread-safe: updated from loop
 * and core threads, read from the metrics thread.
 */
public final class Counters {
    /** TCP connections accepted (before their handshake). */
    public final LongAdder connectionsOpened = new LongAdder();
    /** Connections that closed, for any reason. */
    public final LongAdder connectionsClosed = new LongAdder();
    /** Connections that closed before finishing the Noise handshake (bad, slow or wrong-version peers). */
    public final LongAdder handshakeFailures = new LongAdder();
    /** LOGIN and RESUME attempts answered {@code bad_credentials}. */
    public final LongAdder loginFailures = new LongAdder();
    /** PBKDF2 hashes made for REGISTER (new accounts and taken names alike). */
    public final LongAdder passwordHashes = new LongAdder();
    /** Messages accepted from clients and made durable (duplicates not counted). */
    public final LongAdder messagesReceived = new LongAdder();
    /** Copies of accepted messages put in recipient devices' mailboxes. */
    public final LongAdder fanoutDeliveries = new LongAdder();
    /** DELIVER frames handed to connections (live pushes and catch-up). */
    public final LongAdder messagesDelivered = new LongAdder();

    public long openConnections() {
        return Math.max(0, connectionsOpened.sum() - connectionsClosed.sum());
    }
}
