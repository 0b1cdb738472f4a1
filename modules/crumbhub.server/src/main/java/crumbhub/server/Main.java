package crumbhub.server;

import crumbhub.server.admin.AdminClient;
import crumbhub.server.admin.AdminRequest;
import crumbhub.server.admin.AdminResponse;
import crumbhub.server.config.ConfigException;
import crumbhub.wire.log.Log;
import crumbhub.wire.log.LogSettings;
import crumbhub.wire.loop.FatalErrors;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Entry point of {@code bin/crumbhub-server}: runs the server, or sends one admin command to the
 * running server over its socket. Errors are one line on stderr and a non-zero exit; never a
 * stack trace. SIGINT and SIGTERM stop the server cleanly with exit status 0; a fatal
 * {@link Error} ends it with status {@value #FATAL_STATUS} after an {@code event=fatal} log line.
 */
public final class Main {
    private static final Log UNCAUGHT = Log.get("crumbhub.server");

    private Main() {}

    public static void main(String[] args) {
        int status = run(args, System.getenv(), System.out, System.err);
        if (status != RUNNING) {
            System.exit(status);
        }
    }

    /** Returned by {@link #run} when the server runs until a signal stops the JVM. */
    static final int RUNNING = -1;

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        CommandLine.Invocation inv;
        try {
            inv = CommandLine.parse(args, env);
        } catch (ConfigException e) {
            err.println("crumbhub-server: " + e.getMessage());
            return 2;
        }
        return switch (inv) {
            case CommandLine.Help h -> {
                out.print(CommandLine.HELP);
                out.flush();
                yield 0;
            }
            case CommandLine.ShowVersion v -> {
                out.println("crumbhub-server " + Version.current() + " (Java " + Runtime.version() + ", "
                        + System.getProperty("java.home") + ")");
                out.flush();
                yield 0;
            }
            case CommandLine.ShowManual m -> {
                out.print(m.shell() == null ? crumbhub.wire.cli.ManPage.render(Manual.doc(), Version.current())
                        : crumbhub.wire.cli.Completions.render(Manual.doc(), m.shell()));
                out.flush();
                yield 0;
            }
            case CommandLine.Admin a -> admin(a, out, err);
            case CommandLine.Restore r -> restore(r, out, err);
            case CommandLine.Run r -> serve(r, out, err);
        };
    }

    private static int restore(CommandLine.Restore r, PrintStream out, PrintStream err) {
        String cmd = "crumbhub-server: restore: ";
        try {
            Backups.Summary s = Backups.restore(r.dataDir(), r.backup(), r.force(), r.unsigned(), line -> {
                err.println(cmd + line);
                err.flush();
            });
            out.println("restored " + r.backup() + " into " + r.dataDir() + ": " + s);
            out.println("start the server with --data " + r.dataDir());
            out.flush();
            return 0;
        } catch (IOException e) {
            err.println(cmd + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println(cmd + "interrupted");
            return 1;
        }
    }

    private static int admin(CommandLine.Admin a, PrintStream out, PrintStream err) {
        try {
            String word = a.request().toLine().split(" ", 2)[0];
            AdminResponse r = AdminClient.call(a.dataDir(), a.request(), line -> {
                err.println("crumbhub-server: " + word + ": " + line);
                err.flush();
            });
            if (!r.ok()) {
                err.println("crumbhub-server: " + r.error());
                return 1;
            }
            r.lines().forEach(out::println);
            out.flush();
            return 0;
        } catch (IOException e) {
            err.println("crumbhub-server: " + e.getMessage());
            return 1;
        }
    }

    /** Exit status after a fatal {@link Error} (EX_SOFTWARE of sysexits.h). */
    static final int FATAL_STATUS = 70;

    /**
     * Makes an {@link Error} on any thread of the server end the process with {@link #FATAL_STATUS}
     * after one {@code event=fatal} log line: the core, the event loops and the store report it
     * through {@link FatalErrors}; any other thread's uncaught error reaches the same handler.
     * Exceptions that escape a thread other than those are logged and do not end the process.
     */
    static void endProcessOnFatalError() {
        FatalErrors.Handler halt = FatalErrors.halt(FATAL_STATUS);
        FatalErrors.install(halt);
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            if (e instanceof Error error) {
                FatalErrors.report(halt, error);
            } else {
                UNCAUGHT.error(e, "thread_failed", "thread", thread.getName());
            }
        });
    }

    /**
     * The start-up lines on stdout: where the server listens, its fingerprint, the operator's first
     * invite on a new invite-only data directory with its {@code crumbhub://} link (or how to get
     * one), the metrics address.
     */
    static void announce(Server server, PrintStream out) {
        out.println("crumbhub-server listening on " + server.listenAddress());
        out.println("fingerprint " + server.fingerprint());
        if (server.firstInvite() != null) {
            out.println("invite code: " + server.firstInvite());
            out.println("  for the first account (one use, valid " + AdminRequest.DEFAULT_INVITE_EXPIRY.toDays()
                    + " days): crumbhub-client register " + reachable(server.listenAddress()) + " USER --invite "
                    + server.firstInvite());
            var links = server.inviteLinks();
            var at = links.address();
            if (at != null) {
                out.println(links.link(server.firstInvite(), at));
                out.println("  the same invite as a link, to join in one step: crumbhub-client join LINK USER");
            } else {
                out.println("  " + links.missing());
            }
        }
        if (server.metricsAddress() != null) {
            out.println("metrics on " + new crumbhub.server.config.HostPort(server.metricsHost(),
                    server.metricsAddress().getPort()) + " (/metrics, /health)");
        }
    }

    /** The listen address as a client would type it: a wildcard host becomes a placeholder. */
    private static String reachable(crumbhub.server.config.HostPort listen) {
        return switch (listen.host()) {
            case "0.0.0.0", "::", "[::]", "" -> "HOST:" + listen.port();
            default -> listen.toString();
        };
    }

    private static int serve(CommandLine.Run r, PrintStream out, PrintStream err) {
        LogSettings.format(r.options().logFormat());
        LogSettings.threshold(r.options().logLevel());
        endProcessOnFatalError();
        Server server;
        try {
            server = Server.start(r.options());
        } catch (StartupException e) {
            err.println("crumbhub-server: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("crumbhub-shutdown").unstarted(() -> {
            server.close();
            out.flush();
            err.flush();
            // exit 0 after a clean stop on SIGINT/SIGTERM (the JVM would report 128+signal)
            Runtime.getRuntime().halt(0);
        }));
        announce(server, out);
        out.flush();
        try {
            // only SIGINT/SIGTERM stop the server (the shutdown hook exits); storage faults do not
            server.stopped().get();
            return RUNNING;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RUNNING;
        } catch (ExecutionException e) {
            return 1;
        }
    }
}
