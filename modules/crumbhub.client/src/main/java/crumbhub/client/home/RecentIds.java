package crumbhub.client.home;

import crumbhub.wire.MessageId;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashSet;

/**
 * The last {@link #CAPACITY} messages shown, by (sender user, message id): a receiver shows a
 * message once even when the server pushed it, lost it in a crash before it was durable, and
 * stored the sender's retry (same id) under a new, higher seq (protocol §4). Oldest first.
 *
 * <p>Mutable and not thread-safe: owned by the one thread that receives (listen, the chat's or
 * the daemon's session thread), like the {@link ReceiveState} that carries it.
 */
public final class RecentIds {
    /**
     * Pairs kept: a retry follows its lost original within seconds (the sender's reconnect), far
     * fewer messages than this even in a busy room. About 100 KB in the state file.
     */
    public static final int CAPACITY = 4096;

    private record Key(String from, long high, long low) {}

    private final LinkedHashSet<Key> keys = new LinkedHashSet<>();

    /** An empty window. */
    public RecentIds() {
    }

    /**
     * True if {@code (from, id)} was not in the window (then it is added, dropping the oldest pair
     * beyond {@link #CAPACITY}); false if the message was shown before.
     */
    public boolean add(String from, MessageId id) {
        if (!keys.add(new Key(from, id.high(), id.low()))) {
            return false;
        }
        if (keys.size() > CAPACITY) {
            Iterator<Key> it = keys.iterator();
            it.next();
            it.remove();
        }
        return true;
    }

    public boolean contains(String from, MessageId id) {
        return keys.contains(new Key(from, id.high(), id.low()));
    }

    public int size() {
        return keys.size();
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(keys.size());
        for (Key k : keys) {
            out.writeUTF(k.from());
            out.writeLong(k.high());
            out.writeLong(k.low());
        }
    }

    static RecentIds read(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > CAPACITY) {
            throw new IOException("recent message ids: bad count " + n);
        }
        var r = new RecentIds();
        for (int i = 0; i < n; i++) {
            r.keys.add(new Key(in.readUTF(), in.readLong(), in.readLong()));
        }
        return r;
    }

    @Override
    public String toString() {
        return "RecentIds[" + keys.size() + "]";
    }
}
