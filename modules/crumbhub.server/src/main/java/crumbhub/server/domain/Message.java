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

    /** The bytes this message counts against quotas: its body plus {@link #OVERHEAD_BYTES}. */
    public long charge() { return (long) body.length + OVERHEAD_BYTES; }

    /** The sender's id bytes; callers must not modify them. */
    public byte[] messageIdBytes() { return messageId; }

    /** The opaque ciphertext; callers must not modify, parse or log it. */
    public byte[] body() { return body; }

    @Override
    public String toString() {
        return "Message[seq=" + seq + ", kind=" + kind + ", target=" + target + ", sender=" + sender + "]";
    }
}
