package crumbhub.server;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.crypto.PasswordHash;
import crumbhub.server.config.HostPort;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.Change;
import crumbhub.server.domain.ChangeCodec;
import crumbhub.server.domain.RegistrationMode;
import crumbhub.server.domain.SnapshotCodec;
import crumbhub.wire.AuthFrame;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.loop.EventLoopGroup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Passwords enter PBKDF2 as their strict UTF-8 bytes (docs/crypto.md "Password hashes"), on a real
 * server over real sockets: a new hash is of the UTF-8 bytes, a legacy record (each byte widened to
 * a char) still logs in and is re-hashed on that login, invalid UTF-8 and short passwords are refused.
 */
class PasswordBytesTest {
    private static final String NON_ASCII = "pässwörd ✓ long";

    @TempDir
    Path data;

    private ServerOptions options() {
        return ServerOptions.builder().registration(RegistrationMode.OPEN).dataDir(data)
                .listen(new HostPort("127.0.0.1", 0)).passwordIterations(1_000).loopThreads(1).hashThreads(1).build();
    }

    private static String stored(Server s, String user) throws Exception {
        return SnapshotCodec.decode(s.admin().snapshot().get(10, TimeUnit.SECONDS)).user(user).passwordHash();
    }

    /** Whether {@code record} is PBKDF2 of exactly the UTF-8 bytes of {@code password} (the JDK encodes chars as UTF-8). */
    private static boolean hashOfUtf8(String record, String password) throws Exception {
        assertThat(record).startsWith("utf8:");
        return PasswordHash.decode(record.substring("utf8:".length())).verify(password.toCharArray());
    }

    @Test
    void aNonAsciiPasswordIsHashedFromItsUtf8Bytes() throws Exception {
        try (var loops = new EventLoopGroup("test-client", 1); var s = Server.start(options());
             var c = new TestClient(s.address(), loops.next(), TestClient.newKey())) {
            c.register("alice", NON_ASCII);
            assertThat(hashOfUtf8(stored(s, "alice"), NON_ASCII)).isTrue();
            try (var again = new TestClient(s.address(), loops.next(), TestClient.newKey())) {
                assertThat(again.login("alice", NON_ASCII).auth.user()).isEqualTo("alice");
            }
        }
    }

    @Test
    void aLegacyRecordStillLogsInAndIsRehashedFromTheUtf8Bytes() throws Exception {
        try (var s = Server.start(options())) {
            assertThat(s.address()).isNotNull();
        }
        // the record a server before this change wrote: each password byte widened to one char
        byte[] utf8 = NON_ASCII.getBytes(StandardCharsets.UTF_8);
        char[] widened = new String(utf8, StandardCharsets.ISO_8859_1).toCharArray();
        String legacy = PasswordHash.create(widened, new SecureRandom(), 1_000).encode();
        try (var p = Persistence.open(data)) {
            var done = new CompletableFuture<Exception>();
            p.append(ChangeCodec.encode(new Change.UserRegistered("alice", legacy, 1L, new byte[0])), done::complete);
            assertThat(done.get(10, TimeUnit.SECONDS)).isNull();
        }
        try (var loops = new EventLoopGroup("test-client", 1); var s = Server.start(options())) {
            assertThat(stored(s, "alice")).isEqualTo(legacy);
            try (var wrong = new TestClient(s.address(), loops.next(), TestClient.newKey())) {
                assertThat(wrong.error(id -> new AuthFrame.Login(id, "alice", TestClient.bytes("pässwörd ✗ long"), "d")))
                        .isEqualTo(ErrorCode.BAD_CREDENTIALS);
            }
            try (var c = new TestClient(s.address(), loops.next(), TestClient.newKey())) {
                assertThat(c.login("alice", NON_ASCII).auth.user()).isEqualTo("alice");
            }
            String upgraded = stored(s, "alice");
            assertThat(hashOfUtf8(upgraded, NON_ASCII)).as("re-hashed from the UTF-8 bytes").isTrue();
            try (var c = new TestClient(s.address(), loops.next(), TestClient.newKey())) {
                assertThat(c.login("alice", NON_ASCII).auth.user()).isEqualTo("alice");
            }
            assertThat(stored(s, "alice")).as("upgraded once").isEqualTo(upgraded);
        }
    }

    @Test
    void invalidUtf8AndShortPasswordsAreRefusedWithAClearSentence() throws Exception {
        byte[] notUtf8 = {'p', 'a', 's', 's', (byte) 0xC3, 'w', 'o', 'r', 'd', '!'};
        try (var loops = new EventLoopGroup("test-client", 1); var s = Server.start(options());
             var c = new TestClient(s.address(), loops.next(), TestClient.newKey())) {
            var bad = c.call(id -> new AuthFrame.Register(id, "alice", notUtf8.clone(), "", "d"), ControlFrame.Error.class);
            assertThat(bad.errorCode()).contains(ErrorCode.FORBIDDEN);
            assertThat(bad.message()).isEqualTo("a password must be valid UTF-8 text");
            var shortOne = c.call(id -> new AuthFrame.Register(id, "alice", TestClient.bytes("ä✓7chrs"), "", "d"),
                    ControlFrame.Error.class);
            assertThat(shortOne.errorCode()).contains(ErrorCode.FORBIDDEN);
            assertThat(shortOne.message()).isEqualTo("a password needs at least 8 characters on this server");
            assertThat(c.register("alice", "ä✓8chars").auth.user()).as("8 characters, 11 bytes").isEqualTo("alice");
            try (var other = new TestClient(s.address(), loops.next(), TestClient.newKey())) {
                assertThat(other.call(id -> new AuthFrame.Login(id, "alice", notUtf8.clone(), "d"), ControlFrame.Error.class)
                        .message()).isEqualTo("a password must be valid UTF-8 text");
            }
        }
    }
}
