package crumbhub.server;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.crypto.Fingerprint;
import crumbhub.server.config.HostPort;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.RegistrationMode;
import crumbhub.wire.InviteLink;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code crumbhub-server invite} prints the code and its {@code crumbhub://} link, pointing at the
 * advertised address, the listen address, or {@code --address}; with a wildcard listen address and
 * nothing advertised it prints the code alone and one line on how to name an address, without
 * asking anything.
 */
class InviteLinkCommandTest {
    @TempDir
    Path tmp;
    private Server server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private record Printed(int exit, List<String> out, String err) {}

    private Printed invite(String... extra) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var args = new java.util.ArrayList<>(List.of("--data", tmp.resolve("data").toString(), "invite"));
        args.addAll(List.of(extra));
        int exit = Main.run(args.toArray(String[]::new), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Printed(exit, out.toString(StandardCharsets.UTF_8).lines().toList(), err.toString(StandardCharsets.UTF_8));
    }

    private void start(String listenHost, HostPort advertise) throws StartupException {
        server = Server.start(ServerOptions.builder().registration(RegistrationMode.INVITE)
                .dataDir(tmp.resolve("data")).listen(new HostPort(listenHost, 0)).advertise(advertise)
                .passwordIterations(1_000).loopThreads(1).hashThreads(1).build());
    }

    private void assertLinkOf(Printed p, String address) throws Exception {
        assertThat(p.exit()).as(p.err()).isZero();
        assertThat(p.out()).hasSize(2);
        InviteLink link = InviteLink.parse(p.out().get(1));
        assertThat(link.code()).isEqualTo(p.out().get(0));
        assertThat(link.address()).isEqualTo(address);
        assertThat(link.keyDigest()).isEqualTo(Fingerprint.parse(server.fingerprint()));
    }

    @Test
    void theLinkPointsAtTheAdvertisedAddress() throws Exception {
        start("127.0.0.1", new HostPort("chat.example.org", 7777));
        assertLinkOf(invite(), "chat.example.org:7777");
        assertLinkOf(invite("--address", "other.example.org:1"), "other.example.org:1");
    }

    @Test
    void aWildcardListenAddressGivesTheCodeAndSaysHowToNameAnAddress() throws Exception {
        start("0.0.0.0", null);
        int port = server.address().getPort();
        Printed p = invite();
        assertThat(p.exit()).isZero();
        assertThat(p.out()).singleElement().satisfies(code -> assertThat(code).matches("[a-z2-7]{24}"));
        assertThat(p.err()).startsWith("crumbhub-server: invite: no invite link: the server listens on 0.0.0.0:" + port)
                .contains("--advertise HOST:PORT", "invite --address HOST:PORT");
        assertThat(p.err().lines()).hasSize(1);
        // a host alone takes the listen port
        assertLinkOf(invite("--address", "chat.example.org"), "chat.example.org:" + port);
        assertLinkOf(invite("--address", "[2001:db8::7]"), "[2001:db8::7]:" + port);
    }

    @Test
    void aBadAddressIsRefusedWithOneLineAndTheListenAddressIsTheDefault() throws Exception {
        start("127.0.0.1", null);
        for (String bad : new String[] {"0.0.0.0", "x:0", "bad$host"}) {
            Printed p = invite("--address", bad);
            assertThat(p.exit()).as(bad).isEqualTo(1);
            assertThat(p.out()).isEmpty();
            assertThat(p.err()).startsWith("crumbhub-server: --address must");
            assertThat(p.err().lines()).hasSize(1);
        }
        assertLinkOf(invite(), "127.0.0.1:" + server.address().getPort());
    }
}
