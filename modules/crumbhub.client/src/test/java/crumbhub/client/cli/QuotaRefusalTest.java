package crumbhub.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.server.Server;
import crumbhub.server.config.HostPort;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.Quotas;
import crumbhub.server.domain.RegistrationMode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server's {@code quota} refusal reaches the user as one clear line: {@code send} to a user
 * whose mailbox holds all it may from this sender fails with exit status 2 and the server's
 * sentence, against the real server in-process with a small mailbox quota.
 */
class QuotaRefusalTest {
    @TempDir
    Path tmp;
    private Server server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void sendingIntoAFullMailboxSaysSoInOneLine() throws Exception {
        server = Server.start(ServerOptions.builder().registration(RegistrationMode.OPEN)
                .dataDir(tmp.resolve("data")).listen(new HostPort("127.0.0.1", 0))
                .loopThreads(1).hashThreads(1).passwordIterations(1000)
                .throttle(Duration.ofMillis(100), Duration.ofMillis(400))
                .quotas(Quotas.defaults().withMailbox(4, Long.MAX_VALUE)).build());
        String address = "127.0.0.1:" + server.address().getPort();
        var alice = new Run(tmp.resolve("home-alice"));
        var bob = new Run(tmp.resolve("home-bob"));
        assertThat(alice.stdin("password of alice\n").run("register", address, "alice", "--password-stdin").exit()).isZero();
        assertThat(bob.stdin("password of bob\n").run("register", address, "bob", "--password-stdin").exit()).isZero();

        Run.Result refused = null;
        for (int i = 0; i < 5 && refused == null; i++) {
            var r = alice.run("send", "@bob", "message " + i);
            if (r.exit() != 0) {
                refused = r;
            }
        }
        assertThat(refused).as("bob's mailbox filled up").isNotNull();
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err().lines()).singleElement().asString()
                .contains("waiting in bob's mailbox, as much as one sender may; send more once they have read some")
                .endsWith("(quota)");
        assertThat(refused.out()).isEmpty();
    }
}
