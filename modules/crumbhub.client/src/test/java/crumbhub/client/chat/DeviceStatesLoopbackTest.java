package crumbhub.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.daemon.Daemon;
import crumbhub.client.model.UiEvent;
import crumbhub.client.model.UserAction;
import crumbhub.client.ops.Operation;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat's {@code /devices} and the daemon's {@code devices} show the same states as the CLI's
 * {@code devices} (approved, pending, revoked; docs/client.md), and a device that joins the account
 * is announced as pending at once in both, against the real server in-process.
 */
class DeviceStatesLoopbackTest {
    private static final Pattern CODE = Pattern.compile("approval code: ([0-9A-Z-]+)");

    @TempDir
    Path tmp;
    private LiveServer server;

    @BeforeEach
    void start() throws Exception {
        server = new LiveServer(tmp.resolve("data"));
        server.register(tmp.resolve("alice"), "alice");
        // device 2 is approved, then revoked; so the state of each kind is there once device 3 logs in
        String login = server.run(tmp.resolve("phone"), "password of alice\n", "login", server.address(), "alice",
                "--password-stdin");
        var code = CODE.matcher(login);
        assertThat(code.find()).as(login).isTrue();
        server.run(tmp.resolve("alice"), "", "devices", "approve", "2", "--code", code.group(1));
        server.run(tmp.resolve("alice"), "", "devices", "revoke", "2");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String loginTablet() {
        return server.run(tmp.resolve("tablet"), "password of alice\n", "login", server.address(), "alice",
                "--password-stdin");
    }

    /** The CLI's states by device id, for comparison. */
    private String cliStates() {
        var out = new StringBuilder();
        for (String line : server.run(tmp.resolve("alice"), "", "devices").split("\n")) {
            var m = Pattern.compile("^[* ] (\\d+)\\s+.*?\\b(approved|pending|revoked)\\b").matcher(line);
            if (m.find()) {
                out.append(m.group(1)).append('=').append(m.group(2)).append(' ');
            }
        }
        return out.toString().trim();
    }

    @Test
    void chatAnnouncesAPendingDeviceAtOnceAndListsTheSameStatesAsTheCli() throws Exception {
        var view = new RecordingView();
        try (var account = new Account(tmp.resolve("alice"))) {
            var chat = account.chat(view);
            try {
                view.awaitConnected();
                assertThat(loginTablet()).contains("device 3 is PENDING");
                view.await(UiEvent.ErrorLine.class, e -> e.text().contains("PENDING device 3")
                        && e.text().contains("devices approve 3 --code"));
                int from = view.count();
                chat.perform(new UserAction.Run(new Operation.ListDevices()));
                view.awaitFrom(from, UiEvent.InfoLine.class, e -> e.text().contains(" 3  ") && e.text().contains("pending"),
                        Duration.ofSeconds(15));
                List<String> lines = view.events().subList(from, view.count()).stream()
                        .filter(e -> e instanceof UiEvent.InfoLine).map(e -> ((UiEvent.InfoLine) e).text()).toList();
                assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("  * 1  ").contains("approved").contains("(this one)"));
                assertThat(lines).anySatisfy(l -> assertThat(l).matches("\\s+2\\s.*revoked.*"));
                assertThat(lines).noneSatisfy(l -> assertThat(l).matches("\\s+2\\s.*(approved|pending).*"));
            } finally {
                chat.close(Duration.ofSeconds(1));
            }
        }
        assertThat(cliStates()).isEqualTo("1=approved 3=pending 2=revoked");
    }


    @Test
    void theDaemonAnnouncesAPendingDeviceAtOnceAndListsTheSameStatesAsTheCli() throws Exception {
        var stdin = new PipedOutputStream();
        var in = new PipedInputStream(stdin, 1 << 16);
        var out = new DaemonLines(Duration.ofSeconds(15));
        try (var bot = new Account(tmp.resolve("alice"))) {
            var daemon = new Daemon(new PrintStream(out, true, StandardCharsets.UTF_8), Clock.systemUTC(),
                    new SecureRandom(), Duration.ofSeconds(5), bot::engine);
            var exit = CompletableFuture.supplyAsync(() -> {
                try {
                    return daemon.run(in);
                } catch (InterruptedException e) {
                    return -1;
                }
            });
            out.next("\"state\":\"connected\"");
            assertThat(loginTablet()).contains("device 3 is PENDING");
            assertThat(out.next("PENDING device 3")).startsWith("{\"event\":\"warning\"");
            var requests = new PrintStream(stdin, true, StandardCharsets.UTF_8);
            requests.println("{\"id\":1,\"op\":\"devices\"}");
            String reply = out.next("\"id\":1");
            assertThat(reply).startsWith("{\"id\":1,\"ok\":true,\"devices\":[");
            assertThat(reply).containsPattern("\\{\"id\":1,\"name\":\"[^\"]*\",\"created\":\"[^\"]+\",\"last_seen\":\"[^\"]+\","
                    + "\"current\":true,\"state\":\"approved\"}");
            assertThat(reply).containsPattern("\\{\"id\":2,[^}]*\"state\":\"revoked\"}");
            assertThat(reply).containsPattern("\\{\"id\":3,[^}]*\"current\":false,\"state\":\"pending\"}");
            stdin.close();
            assertThat(exit.get(15, TimeUnit.SECONDS)).isZero();
        }
        assertThat(cliStates()).isEqualTo("1=approved 3=pending 2=revoked");
    }
}
