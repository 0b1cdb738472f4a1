package crumbhub.server;

import crumbhub.server.config.HostPort;
import crumbhub.server.config.ServerOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The server process {@link FatalErrorTest} watches: installs the handler {@link Main} installs,
 * starts a server on the data directory given as the argument, prints {@code ready}, then makes
 * the core thread meet an {@link Error} in the middle of a change (its clock throws one while
 * an admin request creates an invite). The process must end with {@link Main#FATAL_STATUS}.
 * Exits by itself with status 3 after 60 s in case the error did not end it.
 */
public final class FatalErrorChild {

    private FatalErrorChild() {
    }

    public static void main(String[] args) throws Exception {
        Main.endProcessOnFatalError();
        var clock = new ArmedClock();
        var options = ServerOptions.builder().dataDir(Path.of(args[0])).listen(new HostPort("127.0.0.1", 0))
                .loopThreads(1).hashThreads(1).passwordIterations(1000).clock(clock).build();
        var server = Server.start(options);
        System.out.println("ready " + server.address().getPort());
        System.out.flush();
        clock.armed = true;
        server.admin().createInvite(1, Duration.ofHours(1));
        new CountDownLatch(1).await(60, TimeUnit.SECONDS);
        System.exit(3);
    }

    /** The system clock until armed; then every reading throws an {@link Error}. */
    private static final class ArmedClock extends Clock {
        volatile boolean armed;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            if (armed) {
                throw new InternalError("injected by FatalErrorChild");
            }
            return Instant.now();
        }
    }
}
