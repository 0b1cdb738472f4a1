package crumbhub.bench;

/**
 * The counters of one event loop for the current step. Owned by that loop's thread: clients on
 * the loop update it without locks, and the orchestrator reads it only through a task run on the
 * loop ({@link #snapshot}). Recording a delivery allocates nothing.
 *
 * <p>Only messages of the current run and step count; anything else (a late message of an
 * earlier step, a leftover of an earlier run replayed by the server) counts as {@code stale}, so
 * a step's numbers never mix with another's.
 */
public final class LoopStats {
    /** What the latency histogram measures in the current step. */
    public enum Measure {
        /** Send to arrival at a receiver (fanout, rooms, pingpong round trip). */
        DELIVERY,
        /** Send to the server's durable acknowledgement, SEND_OK (ack). */
        ACK,
        /** A PING's round trip (idle). */
        PING
    }

    /** A copy of a loop's counters at one moment. */
    public record Tally(Histogram latency, long received, long stale, long sent, long refused, long acked,
            long errors, long pongs, long lastNanos) {
        /** The sum of several loops' tallies. */
        public static Tally sum(Iterable<Tally> tallies) {
            var h = new Histogram();
            long received = 0, stale = 0, sent = 0, refused = 0, acked = 0, errors = 0, pongs = 0;
            long last = Long.MIN_VALUE;
            for (Tally t : tallies) {
                h.add(t.latency);
                received += t.received;
                stale += t.stale;
                sent += t.sent;
                refused += t.refused;
                acked += t.acked;
                errors += t.errors;
                pongs += t.pongs;
                last = Math.max(last, t.lastNanos);
            }
            return new Tally(h, received, stale, sent, refused, acked, errors, pongs, last);
        }
    }

    private final Histogram latency = new Histogram();
    /** Reused by every client on this loop to decode bodies. */
    final Probe probe = new Probe();
    private int run;
    private int step = -1;
    private Measure measure = Measure.DELIVERY;
    private long received;
    private long stale;
    private long sent;
    private long refused;
    private long acked;
    private long errors;
    private long pongs;
    /** System.nanoTime of the latest measured event (delivery, ack or pong) of the step. */
    private long lastNanos = Long.MIN_VALUE;

    /** Starts counting a new step from zero. Loop thread. */
    public void begin(int run, int step, Measure measure) {
        this.run = run;
        this.step = step & 0xFFFF;
        this.measure = measure;
        latency.reset();
        received = stale = sent = refused = acked = errors = pongs = 0;
        lastNanos = Long.MIN_VALUE;
    }

    /** Whether {@code p} (just decoded) belongs to the step being measured. Loop thread. */
    public boolean current(Probe p) {
        return p.run == run && p.step == step;
    }

    /** A bench message arrived; {@code probe} holds its decoded fields. Loop thread. */
    public void delivered(Probe p, long nowNanos) {
        if (!current(p)) {
            stale++;
            return;
        }
        received++;
        lastNanos = nowNanos;
        if (measure == Measure.DELIVERY) {
            latency.record(nowNanos - p.sentNanos);
        }
    }

    /** A message that is no bench message of this run arrived. Loop thread. */
    public void stale() {
        stale++;
    }

    /** A message was handed to a connection. Loop thread. */
    public void sent() {
        sent++;
    }

    /** A connection refused a message (its outbound buffer was full). Loop thread. */
    public void refused() {
        refused++;
    }

    /** The server acknowledged a send after {@code nanos}. Loop thread. */
    public void acked(long nanos) {
        acked++;
        if (measure == Measure.ACK) {
            latency.record(nanos);
        }
    }

    /** A PING came back after {@code nanos}. Loop thread. */
    public void pong(long nanos) {
        pongs++;
        if (measure == Measure.PING) {
            latency.record(nanos);
        }
    }

    /** A round trip measured by a scenario itself (pingpong). Loop thread. */
    public void roundTrip(long nanos) {
        received++;
        lastNanos = System.nanoTime();
        latency.record(nanos);
    }

    /** The server refused a request, or a connection closed under load. Loop thread. */
    public void error() {
        errors++;
    }

    /** A copy of the counters. Loop thread. */
    public Tally snapshot() {
        return new Tally(latency.copy(), received, stale, sent, refused, acked, errors, pongs, lastNanos);
    }

    /**
     * A copy of the counters, then the latencies start again from none: for scenarios that report
     * windows of one long run (soak, overload). The counters go on counting from the step's start.
     * Loop thread.
     */
    public Tally window() {
        Tally t = snapshot();
        latency.reset();
        return t;
    }
}
