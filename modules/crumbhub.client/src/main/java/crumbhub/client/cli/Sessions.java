package crumbhub.client.cli;

import crumbhub.client.ClientException;
import crumbhub.client.home.KnownServers;
import crumbhub.client.home.SessionRecord;
import crumbhub.client.net.ClientSession;
import crumbhub.client.net.ServerAddress;
import crumbhub.crypto.Fingerprint;
import crumbhub.crypto.X25519KeyPair;
import crumbhub.wire.Frame;

import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** Opening network sessions for commands: pinning against known_servers, and resuming the stored session. */
final class Sessions {
    private Sessions() {}

    /** An authenticated session and the stored record it resumed. Closing it closes the device key too. */
    record Resumed(ClientSession session, SessionRecord record, X25519KeyPair deviceKey) implements AutoCloseable {
        @Override
        public void close() {
            try {
                session.close();
            } finally {
                deviceKey.close();
            }
        }
    }

    /**
     * Connects for {@code register}/{@code login}: the server key must match known_servers and
     * {@code expected} (which came from {@code expectedSource}, for the refusal); a key seen for the
     * first time is pinned once the handshake succeeded.
     */
    static ClientSession connectFirst(Context ctx, ServerAddress server, X25519KeyPair deviceKey,
                                      Optional<String> expected, String expectedSource) {
        KnownServers known = ctx.home().knownServers();
        var firstContact = new AtomicBoolean();
        var session = ClientSession.connect(server, deviceKey,
                key -> firstContact.set(known.check(server, key, expected, expectedSource)), ClientSession.Options.DEFAULT, f -> {});
        try {
            if (firstContact.get()) {
                byte[] key = session.serverPublicKey();
                known.pin(server, key);
                ctx.notice("pinned the key of " + server + " in " + known.file() + ": fingerprint " + Fingerprint.of(key));
            }
            return session;
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /**
     * Connects with the stored session and resumes it. The server key must match known_servers,
     * or, if the user removed the line, the key seen at login (which is then pinned again).
     */
    static Resumed resume(Context ctx, Consumer<Frame> pushes) {
        var home = ctx.home();
        SessionRecord record = home.session();
        KnownServers known = home.knownServers();
        boolean pinned = known.pinned(record.server()).isPresent();
        var deviceKey = home.deviceKey();
        ClientSession session = null;
        try {
            session = ClientSession.connect(record.server(), deviceKey, key -> {
                if (pinned) {
                    known.check(record.server(), key, Optional.empty());
                } else if (!MessageDigest.isEqual(key, record.serverPublicKey())) {
                    throw ClientException.identity("the key of server " + record.server() + " has CHANGED since login:"
                            + " it was " + record.serverFingerprint() + ", now it is " + Fingerprint.of(key)
                            + ". This could be an attack; run crumbhub-client login again only if you know why it changed");
                }
            }, ClientSession.Options.DEFAULT, pushes);
            if (!pinned) {
                known.pin(record.server(), record.serverPublicKey());
            }
            var t = record.token();
            try {
                session.resume(record.user(), (int) record.deviceId(), t);
            } finally {
                java.util.Arrays.fill(t, (byte) 0);
            }
            return new Resumed(session, record, deviceKey);
        } catch (RuntimeException e) {
            if (session != null) {
                session.close();
            }
            deviceKey.close();
            throw e;
        }
    }
}
