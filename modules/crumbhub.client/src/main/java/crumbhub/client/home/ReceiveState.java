package crumbhub.client.home;

import java.util.Objects;

/**
 * What {@code listen} has already shown, so a message is printed once even across restarts:
 * the highest printed {@code seq} of one device on one server. Sealed in the file {@code state}.
 * A state that belongs to another session (a new login) is ignored.
 */
public record ReceiveState(String server, String user, long deviceId, long lastSeq) {
    static final int VERSION = 1;

    public ReceiveState {
        Objects.requireNonNull(server);
        Objects.requireNonNull(user);
    }

    /** The state of a session that has printed nothing yet. */
    public static ReceiveState initial(SessionRecord session) {
        return new ReceiveState(session.server().key(), session.user(), session.deviceId(), 0);
    }

    public boolean belongsTo(SessionRecord session) {
        return server.equals(session.server().key()) && user.equals(session.user()) && deviceId == session.deviceId();
    }

    public ReceiveState withLastSeq(long seq) {
        return new ReceiveState(server, user, deviceId, Math.max(lastSeq, seq));
    }

    byte[] encode() {
        return Records.encode(VERSION, out -> {
            out.writeUTF(server);
            out.writeUTF(user);
            out.writeInt((int) deviceId);
            out.writeLong(lastSeq);
        });
    }

    static ReceiveState decode(byte[] plaintext, String name) {
        return Records.decode(plaintext, VERSION, name, in -> new ReceiveState(
                in.readUTF(), in.readUTF(), Integer.toUnsignedLong(in.readInt()), in.readLong()));
    }
}
