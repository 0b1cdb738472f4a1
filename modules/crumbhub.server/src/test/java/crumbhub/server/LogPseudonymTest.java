package crumbhub.server;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.server.config.HostPort;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.RegistrationMode;
import crumbhub.testkit.Await;
import crumbhub.wire.AuthFrame;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.loop.EventLoopGroup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 finding 7: the user id in log lines was an unsalted, truncated SHA-256 of the name, so
 * a list of names reversed it. On real servers: it is now keyed by the server key, the same for
 * one server across restarts and different on another server.
 */
class LogPseudonymTest {
    private static final Pattern USER_HASH = Pattern.compile("event=login_failed user_hash=([0-9a-f]{12}) ");

    @TempDir
    Path tmp;

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger auth = Logger.getLogger("crumbhub.server.auth");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            lines.add(r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level level;

    @BeforeEach
    void listen() {
        level = auth.getLevel();
        auth.setLevel(Level.INFO);
        auth.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        auth.removeHandler(capture);
        auth.setLevel(level);
    }

    /** The user_hash a failed login for {@code user} logs on a server with data directory {@code data}. */
    private String loggedHash(Path data, String user) throws Exception {
        var options = ServerOptions.builder().registration(RegistrationMode.OPEN).dataDir(data)
                .listen(new HostPort("127.0.0.1", 0)).passwordIterations(1_000).loopThreads(1).hashThreads(1)
                .throttle(Duration.ofMillis(1), Duration.ofMillis(1)).build();
        lines.clear();
        try (var loops = new EventLoopGroup("test-client", 1); var s = Server.start(options);
             var c = new TestClient(s.address(), loops.next(), TestClient.newKey())) {
            assertThat(c.error(id -> new AuthFrame.Login(id, user, TestClient.bytes("a wrong password"), "d")))
                    .isEqualTo(ErrorCode.BAD_CREDENTIALS);
        }
        return Await.value(() -> lines.stream().map(USER_HASH::matcher).filter(java.util.regex.Matcher::find)
                .map(m -> m.group(1)).findFirst(), "a login_failed line");
    }

    @Test
    void theLoggedUserIdIsKeyedByTheServerKey() throws Exception {
        Path data = tmp.resolve("one");
        String first = loggedHash(data, "alice");
        byte[] unsalted = MessageDigest.getInstance("SHA-256").digest("crumbhub-user:alice".getBytes(StandardCharsets.UTF_8));
        assertThat(first).as("not the unsalted SHA-256 a name list reverses")
                .isNotEqualTo(HexFormat.of().formatHex(unsalted).substring(0, 12));
        assertThat(loggedHash(data, "alice")).as("the same server after a restart").isEqualTo(first);
        assertThat(loggedHash(data, "bob")).isNotEqualTo(first);
        assertThat(loggedHash(tmp.resolve("two"), "alice")).as("another server (another key)").isNotEqualTo(first);
    }
}
