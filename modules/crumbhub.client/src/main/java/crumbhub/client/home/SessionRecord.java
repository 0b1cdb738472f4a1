package crumbhub.client.home;

import crumbhub.client.net.ServerAddress;
import crumbhub.crypto.Fingerprint;

import java.util.Arrays;
import java.util.Objects;

/**
 * What {@code register}/{@code login} leave behind for later commands: where the server is,
 * which key it had, and the device's credentials. Sealed in the file {@code session}.
 *
 * @param server          the address as the user gave it
 * @param serverPublicKey the server's static key seen at login (32 bytes)
 * @param user            the folded user name
 * @param deviceId        the server's id of this device
 * @param token           the 32-byte device token for {@code RESUME}; secret
 */
public record SessionRecord(ServerAddress server, byte[] serverPublicKey, String user, long deviceId, byte[] token) {
    static final int VERSION = 1;
    static final int KEY_LENGTH = 32;
    static final int TOKEN_LENGTH = 32;

    public SessionRecord {
        Objects.requireNonNull(server);
        Objects.requireNonNull(user);
        if (serverPublicKey.length != KEY_LENGTH || token.length != TOKEN_LENGTH) {
            throw new IllegalArgumentException("server key and token must be 32 bytes");
        }
        if (deviceId < 0 || deviceId > 0xffff_ffffL) {
            throw new IllegalArgumentException("device id out of range");
        }
        serverPublicKey = serverPublicKey.clone();
        token = token.clone();
    }

    @Override
    public byte[] serverPublicKey() {
        return serverPublicKey.clone();
    }

    @Override
    public byte[] token() {
        return token.clone();
    }

    public String serverFingerprint() {
        return Fingerprint.of(serverPublicKey);
    }

    byte[] encode() {
        return Records.encode(VERSION, out -> {
            out.writeUTF(server.host());
            out.writeShort(server.port());
            out.write(serverPublicKey);
            out.writeUTF(user);
            out.writeInt((int) deviceId);
            out.write(token);
        });
    }

    static SessionRecord decode(byte[] plaintext, String name) {
        return Records.decode(plaintext, VERSION, name, in -> new SessionRecord(
                new ServerAddress(in.readUTF(), in.readUnsignedShort()),
                Records.readBytes(in, KEY_LENGTH),
                in.readUTF(),
                Integer.toUnsignedLong(in.readInt()),
                Records.readBytes(in, TOKEN_LENGTH)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionRecord s && server.equals(s.server) && Arrays.equals(serverPublicKey, s.serverPublicKey)
               && user.equals(s.user) && deviceId == s.deviceId && Arrays.equals(token, s.token);
    }

    @Override
    public int hashCode() {
        return Objects.hash(server, user, deviceId);
    }

    @Override
    public String toString() {
        return "SessionRecord[" + user + "@" + server + ", device " + deviceId + ", token=<redacted>]";
    }
}
