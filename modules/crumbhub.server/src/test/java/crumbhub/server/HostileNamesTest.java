package crumbhub.server;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.server.admin.AdminClient;
import crumbhub.server.admin.AdminRequest;
import crumbhub.server.admin.AdminResponse;
import crumbhub.server.config.HostPort;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.Change;
import crumbhub.server.domain.ChangeCodec;
import crumbhub.server.domain.RegistrationMode;
import crumbhub.wire.AuthFrame;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.loop.EventLoopGroup;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names with terminal escape sequences, newlines and bidirectional overrides (issue 14 finding 7),
 * on a real server: refused at REGISTER and LOGIN with a clear sentence, and a name already stored
 * (by an older server) is printed escaped by the admin {@code devices} command over the real socket.
 */
class HostileNamesTest {
    /** Clears the operator's screen, reverses what follows, and forges a second output line. */
    private static final String HOSTILE = "phone\u001b[2J\u202Eevil\nrevoked";

    @TempDir
    Path data;

    private ServerOptions options() {
        return ServerOptions.builder().registration(RegistrationMode.OPEN).dataDir(data)
                .listen(new HostPort("127.0.0.1", 0)).passwordIterations(1_000).loopThreads(1).hashThreads(1).build();
    }

    @Test
    void deviceNamesWithControlOrBidiCharactersAreRefused() throws Exception {
        try (var loops = new EventLoopGroup("test-client", 1); var s = Server.start(options());
             var c = new TestClient(s.address(), loops.next(), TestClient.newKey())) {
            var e = c.call(id -> new AuthFrame.Register(id, "alice", TestClient.bytes("a password"), "", HOSTILE),
                    ControlFrame.Error.class);
            assertThat(e.errorCode()).contains(ErrorCode.INVALID_NAME);
            assertThat(e.message()).isEqualTo(
                    "a device name must not contain control or bidirectional-override characters (U+001B at character 6)");
            for (String name : new String[] {"a\u2066b", "\u202Alaptop", "tab\there", "zero\u200Bwidth"}) {
                assertThat(c.error(id -> new AuthFrame.Register(id, "alice", TestClient.bytes("a password"), "", name)))
                        .as(name).isEqualTo(ErrorCode.INVALID_NAME);
            }
            c.register("alice", "a password");
            try (var other = new TestClient(s.address(), loops.next(), TestClient.newKey())) {
                assertThat(other.error(id -> new AuthFrame.Login(id, "alice", TestClient.bytes("a password"), "x\u202Ey")))
                        .isEqualTo(ErrorCode.INVALID_NAME);
                assertThat(other.call(id -> new AuthFrame.Login(id, "alice", TestClient.bytes("a password"), "Télé 📱"),
                        AuthFrame.AuthOk.class).user()).as("other non-ASCII names are fine").isEqualTo("alice");
            }
        }
    }

    @Test
    void theAdminDevicesCommandPrintsAStoredHostileNameEscaped() throws Exception {
        try (var s = Server.start(options())) {
            assertThat(s.address()).isNotNull();
        }
        try (var p = Persistence.open(data)) {
            for (Change c : new Change[] {
                    new Change.UserRegistered("alice", "utf8:x", 1L, new byte[0]),
                    new Change.DeviceAdded("alice", 1, HOSTILE, new byte[32], new byte[32], 1L)}) {
                var done = new CompletableFuture<Exception>();
                p.append(ChangeCodec.encode(c), done::complete);
                assertThat(done.get(10, TimeUnit.SECONDS)).isNull();
            }
        }
        try (var s = Server.start(options())) {
            AdminResponse r = AdminClient.call(data, new AdminRequest.ListDevices("alice"));
            assertThat(r.ok()).as(r.error()).isTrue();
            assertThat(r.lines()).singleElement().satisfies(line -> {
                assertThat(line).startsWith("1\tactive\tphone\\u{001B}[2J\\u{202E}evil\\u{000A}revoked\tcreated=");
                assertThat(line.chars()).noneMatch(ch -> ch == 0x1B || ch == '\n' || ch == 0x202E);
            });
        }
    }
}
