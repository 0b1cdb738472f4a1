package crumbhub.client.cli;

import crumbhub.client.e2e.E2eClient;
import crumbhub.client.home.Home;
import crumbhub.client.message.Target;
import crumbhub.client.net.ClientSession;
import crumbhub.server.Server;
import crumbhub.server.config.HostPort;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.RegistrationMode;
import crumbhub.wire.MessageId;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;

/**
 * Throughput of the full client path with end-to-end encryption, against the real server
 * in-process (not a unit test; docs/security.md quotes its output):
 *
 * <ul>
 *   <li>{@code send} as a command: open the home, connect, Noise handshake, resume, encrypt,
 *       store the advanced keys, send, wait for SEND_OK (a new connection per message);</li>
 *   <li>the same over one open session (the terminal UI and the daemon), direct and room;</li>
 *   <li>{@code listen}: decrypt, store, print, acknowledge.</li>
 * </ul>
 *
 * <pre>
 *   mvn -B -q -o -pl modules/crumbhub.client -am test-compile -DskipTests
 *   java -cp "$(cat cp.txt)" crumbhub.client.cli.E2eThroughput [messages] [room members]
 * </pre>
 */
public final class E2eThroughput {
    private E2eThroughput() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int members = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path tmp = Files.createTempDirectory("crumbhub-e2e-throughput");
        try (Server server = Server.start(ServerOptions.builder().registration(RegistrationMode.OPEN)
                .dataDir(tmp.resolve("data"))
                .listen(new HostPort("127.0.0.1", 0)).passwordIterations(1000).build())) {
            String address = "127.0.0.1:" + server.address().getPort();
            Run alice = user(tmp, address, "alice");
            Run bob = user(tmp, address, "bob");
            check(alice.run("room", "create", "#bench"));
            for (int i = 1; i < members; i++) {
                Run m = i == 1 ? bob : user(tmp, address, "member" + i);
                String name = i == 1 ? "bob" : "member" + i;
                check(alice.run("room", "invite", "#bench", name));
                check(m.run("room", "join", "#bench"));
            }
            int commands = Math.max(10, n / 10);
            long t0 = System.nanoTime();
            for (int i = 0; i < commands; i++) {
                check(alice.run("send", "@bob", "command " + i));
            }
            report("send command, direct (new connection each)", commands, t0);
            t0 = System.nanoTime();
            for (int i = 0; i < commands; i++) {
                check(alice.run("send", "#bench", "command " + i));
            }
            report("send command, room of " + members, commands, t0);

            overOneSession(alice.home(), new Target.Direct("bob"), n);
            overOneSession(alice.home(), new Target.Room("bench"), n);

            t0 = System.nanoTime();
            var listened = bob.run("listen", "--count", Integer.toString(2 * commands + 2 * n), "--timeout", "600");
            check(listened);
            report("listen (decrypt, store, print, ACK)", 2 * commands + 2 * n, t0);
        } finally {
            try (var files = Files.walk(tmp)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void overOneSession(Path homeDir, Target target, int n) {
        try (var home = Home.open(homeDir, prompt -> null, new SecureRandom(), 1000); var key = home.deviceKey()) {
            var record = home.session();
            var e2e = E2eClient.create(home, record.user(), record.deviceId(), new SecureRandom(), Clock.systemUTC(),
                    System.err::println);
            try (var session = ClientSession.connect(record.server(), key, k -> { }, ClientSession.Options.DEFAULT,
                    e2e::onPush)) {
                session.resume(record.user(), (int) record.deviceId(), record.token());
                e2e.attach(session);
                var rng = new SecureRandom();
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    e2e.seal(target, "message number " + i, MessageId.random(rng)).sendOver(session);
                }
                report("one session, " + target.display(), n, t0);
            }
        }
    }

    private static Run user(Path tmp, String address, String name) {
        Run r = new Run(tmp.resolve(name));
        check(r.stdin("password " + name + "\n").run("register", address, name, "--password-stdin"));
        return r;
    }

    private static void check(Run.Result r) {
        if (r.exit() != 0) {
            throw new IllegalStateException(r.toString());
        }
    }

    private static void report(String what, int n, long t0) {
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%-48s %6d messages in %6.2f s: %8.1f messages/s%n", what, n, s, n / s);
    }
}
