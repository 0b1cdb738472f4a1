package crumbhub.server;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.RegistrationMode;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.AuthFrame;
import crumbhub.wire.loop.EventLoopGroup;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server with no registration setting is invite-only and hands its operator the first invite. */
class SafeDefaultsTest {
    private static EventLoopGroup clientLoops;

    @TempDir
    Path tmp;

    @BeforeAll
    static void loops() {
        clientLoops = new EventLoopGroup("test-client", 1);
    }

    @AfterAll
    static void stopLoops() {
        clientLoops.close();
    }

    private static ServerOptions inviteOnly(Path data) {
        return DataFormatTest.options(data).toBuilder().registration(RegistrationMode.INVITE).build();
    }

    @Test
    void registrationIsInviteOnlyUnlessConfigured() {
        assertThat(ServerOptions.builder().build().registration()).isEqualTo(RegistrationMode.INVITE);
    }

    @Test
    void aNewInviteOnlyDataDirectoryGetsOneSingleUseInviteOnItsFirstStartOnly() throws Exception {
        var options = inviteOnly(tmp.resolve("data"));
        try (Server server = Server.start(options)) {
            String code = server.firstInvite();
            assertThat(code).matches("[a-z2-7]{24}");
            try (var stranger = new TestClient(server.address(), clientLoops.next(), TestClient.newKey());
                 var alice = new TestClient(server.address(), clientLoops.next(), TestClient.newKey());
                 var bob = new TestClient(server.address(), clientLoops.next(), TestClient.newKey())) {
                assertThat(stranger.error(id -> new AuthFrame.Register(id, "mallory", TestClient.bytes("password"), "", "d")))
                        .isEqualTo(ErrorCode.INVITE_INVALID);
                assertThat(alice.register("alice", "password", code).auth.user()).isEqualTo("alice");
                assertThat(bob.error(id -> new AuthFrame.Register(id, "bob", TestClient.bytes("password"), code, "d")))
                        .as("the operator's invite has one use").isEqualTo(ErrorCode.INVITE_INVALID);
            }
        }
        try (Server again = Server.start(options)) {
            assertThat(again.firstInvite()).as("only the very first start creates an invite").isNull();
        }
    }

    @Test
    void openAndClosedServersCreateNoInvite() throws Exception {
        for (RegistrationMode mode : new RegistrationMode[] {RegistrationMode.OPEN, RegistrationMode.CLOSED}) {
            var options = DataFormatTest.options(tmp.resolve(mode.label())).toBuilder().registration(mode).build();
            try (Server server = Server.start(options)) {
                assertThat(server.firstInvite()).as(mode.label()).isNull();
            }
        }
    }

    @Test
    void theFirstStartPrintsTheInviteAndHowToUseIt() throws Exception {
        var options = inviteOnly(tmp.resolve("data"));
        var out = new ByteArrayOutputStream();
        String address;
        try (Server server = Server.start(options)) {
            Main.announce(server, new PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
            address = "127.0.0.1:" + server.address().getPort();
        }
        assertThat(out.toString()).containsPattern("(?m)^invite code: [a-z2-7]{24}$")
                .containsPattern("crumbhub-client register 127\\.0\\.0\\.1:\\d+ USER --invite [a-z2-7]{24}");
        String link = out.toString().lines().filter(l -> l.startsWith("crumbhub://")).findFirst().orElseThrow();
        var parsed = crumbhub.wire.InviteLink.parse(link);
        assertThat(parsed.address()).isEqualTo(address);
        assertThat(out.toString()).contains("invite code: " + parsed.code());
    }
}
