package crumbhub.client.home;

import java.util.Objects;

/**
 * What {@code listen}, the chat or the daemon has already shown, so a message is shown once
 * even across restarts: the highest shown {@code seq} of one device on one server, and the
 * recent (sender, message id) pairs shown ({@link RecentIds}), because a message pushed before
 * it was durable and lost in a server crash comes again, after its sender's retry, with a new
 * seq (protocol §4). Sealed in the file {@code state}; record version 1 (no ids) still reads. A
 * state that belongs to another session (a new login) is ignored.
 *
 * <p>{@code recent} is mutable and shared by the states derived with {@link #withLastSeq}; one
 * receiving thread owns them.
 */
public record ReceiveState(String server, String user, long deviceId, long lastSeq, RecentIds recent) {
    static final int VERSION = 2;

    public ReceiveState {
        Objects.requireNonNull(server);
        Objects.requireNonNull(user);
        Objects.requireNonNull(recent);
    }

    /** The state of a session that has printed nothing yet. */
    public static ReceiveState initial(SessionRecord session) {
        return new ReceiveState(session.server().key(), session.user(), session.deviceId(), 0, new RecentIds());
    }

    public boolean belongsTo(SessionRecord session) {
        return server.equals(session.server().key()) && user.equals(session.user()) && deviceId == session.deviceId();
    }

    public ReceiveState withLastSeq(long seq) {
        return new ReceiveState(server, user, deviceId, Math.max(lastSeq, seq), recent);
    }

    byte[] encode() {
        return Records.encode(VERSION, out -> {
            out.writeUTF(server);
            out.writeUTF(user);
            out.writeInt((int) deviceId);
            out.writeLong(lastSeq);
            recent.write(out);
        });
    }

    static ReceiveState decode(byte[] plaintext, String name) {
        return Records.decode(plaintext, 1, VERSION, name, (in, version) -> new ReceiveState(
                in.readUTF(), in.readUTF(), Integer.toUnsignedLong(in.readInt()), in.readLong(),
                version >= 2 ? RecentIds.read(in) : new RecentIds()));
    }
}
