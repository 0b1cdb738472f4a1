package crumbhub.client.cli;

import crumbhub.client.ClientException;
import crumbhub.client.home.Home;
import crumbhub.client.home.SessionRecord;
import crumbhub.client.irc.Gateway;
import crumbhub.client.irc.IrcOptions;
import crumbhub.client.irc.IrcServer;
import crumbhub.crypto.X25519KeyPair;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code crumbhub-client irc}: the local IRC gateway (docs/irc.md). Holds the home's listener
 * lock, like {@code chat} and {@code daemon}, and runs until interrupted or stopped by a signal
 * (SIGINT, SIGTERM: the JVM's exit status is then 130 or 143, after the gateway has closed);
 * prints one line {@code irc gateway for USER listening on HOST:PORT} once clients may connect.
 */
final class IrcCommand {
    /** How long a signal waits for the gateway to finish messages in flight and close. */
    static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private IrcCommand() {
    }

    static int run(Context ctx) {
        var options = IrcOptions.of(ctx.command.value("listen").orElse(IrcOptions.DEFAULT_LISTEN),
                ctx.command.value("password-file").map(Path::of), history(ctx));
        Home home = ctx.home();
        SessionRecord record = home.session();
        try (var lock = SessionCommands.lock(home); X25519KeyPair deviceKey = home.deviceKey()) {
            var gateway = new Gateway(record.user(), options, ctx.recorder(), ctx.io.clock(), ctx.rng,
                    listener -> SessionCommands.engine(ctx, home, record, deviceKey, listener));
            var stop = new CountDownLatch(1);
            var stopped = new CountDownLatch(1);
            // a signal runs the hook, and the JVM ends when the hook returns: it waits for the cleanup below
            var hook = new Thread(() -> {
                stop.countDown();
                try {
                    stopped.await(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "crumbhub-irc-stop");
            try (var server = IrcServer.start(gateway, options)) {
                var at = server.address();
                ctx.io.out().println("irc gateway for " + record.user() + " listening on "
                        + at.getAddress().getHostAddress() + ":" + at.getPort());
                ctx.io.out().flush();
                Runtime.getRuntime().addShutdownHook(hook);
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                gateway.shutdown();
                SessionCommands.removeHook(hook);
                stopped.countDown();
            }
            return 0;
        }
    }

    private static int history(Context ctx) {
        return ctx.command.value("history").map(raw -> {
            if (!raw.matches("[0-9]{1,4}") || Integer.parseInt(raw) > IrcOptions.MAX_HISTORY) {
                throw ClientException.usage("--history needs a whole number from 0 to " + IrcOptions.MAX_HISTORY
                        + ", not '" + ClientText.safe(raw) + "'");
            }
            return Integer.parseInt(raw);
        }).orElse(IrcOptions.DEFAULT_HISTORY);
    }
}
