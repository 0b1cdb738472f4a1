package crumbhub.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.cli.CommandRunner;
import crumbhub.client.cli.Io;
import crumbhub.client.cli.SecretPrompt;
import crumbhub.server.Server;
import crumbhub.server.StartupException;
import crumbhub.server.config.HostPort;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.RegistrationMode;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * The real server in-process on 127.0.0.1 (port 0 at first, the same port after a restart) and
 * the client commands run in-process against it: the loopback layer of the chat's tests.
 */
final class LiveServer implements AutoCloseable {
    private final Path data;
    private final java.util.function.UnaryOperator<ServerOptions.Builder> options;
    private Server server;
    private int port;

    LiveServer(Path data) throws StartupException {
        this(data, b -> b);
    }

    /** With {@code options} applied to the test defaults (quotas, for instance). */
    LiveServer(Path data, java.util.function.UnaryOperator<ServerOptions.Builder> options) throws StartupException {
        this.data = data;
        this.options = options;
        start();
    }

    void start() throws StartupException {
        server = Server.start(options.apply(ServerOptions.builder().registration(RegistrationMode.OPEN)
                .dataDir(data).listen(new HostPort("127.0.0.1", port))
                .loopThreads(1).hashThreads(1).passwordIterations(1000)
                .throttle(Duration.ofMillis(100), Duration.ofMillis(400))).build());
        port = server.address().getPort();
    }

    void stop() {
        server.close();
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    /** Runs a client command with {@code home}; returns stdout, failing the test on a non-zero exit. */
    String run(Path home, String stdin, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var io = new Io(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(), SecretPrompt.NONE, Clock.systemUTC(), ZoneOffset.UTC);
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--home";
        all[args.length + 1] = home.toString();
        int exit = CommandRunner.run(all, io);
        assertThat(exit).as("%s: %s", String.join(" ", args), err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Messages the server still holds for some device (its stats, as /metrics shows them). */
    int messagesWaiting() {
        try {
            return server.admin().stats().get(10, java.util.concurrent.TimeUnit.SECONDS).messages();
        } catch (Exception e) {
            throw new IllegalStateException("the server's stats", e);
        }
    }

    void register(Path home, String user) {
        run(home, "password of " + user + "\n", "register", address(), user, "--password-stdin");
    }

    @Override
    public void close() {
        server.close();
    }
}
