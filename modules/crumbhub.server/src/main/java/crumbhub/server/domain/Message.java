package crumbhub.server.domain;

/**
 * A stored message. Immutable except for {@link #pending()}, the number of intended devices
 * that have not acknowledged it yet; it is dropped when that reaches zero. Owned by the core thread.
 */
public final class Message {
    /**
     * What a message costs beyond its body, for quotas: its object, id, map entry and mailbox
     * slots on the heap and its record header on disk, rounded up. Charging it keeps a flood of
     * tiny messages inside the byte quotas too.
     */
    public static final int OVERHEAD_BYTES = 256;
    /**
     * What each recipient device adds to a waiting message on the heap: its slot in that device's
     * mailbox ring, with the ring's room to grow. A room message to 99 devices holds 99 slots until
     * they acknowledge it, so the server and sender quotas charge them; without it a flood of small room messages to a big
     * room filled the heap while the quotas saw a third of it (docs/benchmarks.md "Overload").
     */
    public static final int SLOT_BYTES = 16;

    private final long seq;
    private final long tsMs;
    private final Kind kind;
    private final String target;
    private final String sender;
    private final int senderDevice;
    private final byte[] messageId;
    private final int alg;
    private final byte[] body;
    int pending;

    Message(long seq, long tsMs, Kind kind, String target, String sender, int senderDevice,
            byte[] messageId, int alg, byte[] body) {
        this.seq = seq;
        this.tsMs = tsMs;
        this.kind = kind;
        this.target = target;
        this.sender = sender;
        this.senderDevice = senderDevice;
        this.messageId = messageId;
        this.alg = alg;
        this.body = body;
    }

    public long seq() { return seq; }
    public long tsMs() { return tsMs; }
    public Kind kind() { return kind; }
    public String target() { return target; }
    public String sender() { return sender; }
    public int senderDevice() { return senderDevice; }
    public int alg() { return alg; }
    public int pending() { return pending; }

    /** The bytes this message counts against a mailbox's quota: its body plus {@link #OVERHEAD_BYTES}. */
    public long charge() { return (long) body.length + OVERHEAD_BYTES; }

    /**
     * The bytes it counts against its sender's and the server's quotas now: {@link #charge()} plus
     * a slot for each device that has not acknowledged it ({@link #pending()}); each
     * acknowledgement gives its slot back.
     */
    public long heldCharge() { return held(body.length, pending); }

    /** What a message of {@code bodyBytes} to {@code recipients} devices counts against the sender and server quotas. */
    public static long held(int bodyBytes, int recipients) {
        return (long) bodyBytes + OVERHEAD_BYTES + (long) SLOT_BYTES * recipients;
    }

    /** The sender's id bytes; callers must not modify them. */
    public byte[] messageIdBytes() { return messageId; }

    /** The opaque ciphertext; callers must not modify, parse or log it. */
    public byte[] body() { return body; }

    @Override
    public String toString() {
        return "Message[seq=" + seq + ", kind=" + kind + ", target=" + target + ", sender=" + sender + "]";
    }
}
