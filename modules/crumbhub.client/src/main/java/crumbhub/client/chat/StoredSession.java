package crumbhub.client.chat;

import crumbhub.client.ClientException;
import crumbhub.client.home.KnownServers;
import crumbhub.client.home.SessionRecord;
import crumbhub.client.net.ClientSession;
import crumbhub.crypto.Fingerprint;
import crumbhub.crypto.X25519KeyPair;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;

/**
 * {@link SessionEngine.Connector} for the session stored in the home directory: connect, check
 * the server key against {@code known_servers} (or, if the user removed the line, against the
 * key seen at login, which is then pinned again), and RESUME with the device token. The same
 * rules as every other command (docs/client.md, Pinning).
 *
 * <p>Runs on the engine's connector thread, one attempt at a time.
 */
public final class StoredSession {
    private StoredSession() {
    }

    /** The caller keeps {@code deviceKey} open while the engine runs and closes it afterwards. */
    public static SessionEngine.Connector connector(SessionRecord record, X25519KeyPair deviceKey, KnownServers known) {
        return pushes -> {
            boolean pinned = known.pinned(record.server()).isPresent();
            ClientSession session = ClientSession.connect(record.server(), deviceKey, key -> {
                if (pinned) {
                    known.check(record.server(), key, Optional.empty());
                } else if (!MessageDigest.isEqual(key, record.serverPublicKey())) {
                    throw ClientException.identity("the key of server " + record.server() + " has CHANGED since login:"
                            + " it was " + record.serverFingerprint() + ", now it is " + Fingerprint.of(key)
                            + ". This could be an attack; run crumbhub-client login again only if you know why it changed");
                }
            }, ClientSession.Options.DEFAULT, pushes);
            try {
                if (!pinned) {
                    known.pin(record.server(), record.serverPublicKey());
                }
                byte[] token = record.token();
                try {
                    session.resume(record.user(), (int) record.deviceId(), token);
                } finally {
                    Arrays.fill(token, (byte) 0);
                }
                return session;
            } catch (RuntimeException e) {
                session.close();
                throw e;
            }
        };
    }
}
