package crumbhub.client.cli;

import crumbhub.client.ClientException;

/**
 * Runs one {@code crumbhub-client} command line: parse, dispatch, and turn every failure into
 * one line on stderr and an exit code (docs/client.md): 0 ok, 1 usage, 2 refused by the server,
 * 3 network, 4 local store, 5 server identity, 6 internal error. Stack traces only with {@code --debug}.
 */
public final class CommandRunner {
    /** Exit code of a bug: an exception no command expected. */
    public static final int EXIT_INTERNAL = 6;
    static final CommandLine PARSER = new CommandLine(Specs.ALL);

    private CommandRunner() {}

    /** Runs {@code args} with {@code io}; returns the exit code. Blocks until the command is done. */
    public static int run(String[] args, Io io) {
        return run(args, io, null);
    }

    /** As {@link #run(String[], Io)}, with a context factory for tests (fast passphrase hashing). */
    static int run(String[] args, Io io, java.util.function.Function<ParsedCommand, Context> contexts) {
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        try {
            String about = about(args);
            if (about != null) {
                io.out().print(about);
                io.out().flush();
                return 0;
            }
            ParsedCommand parsed = PARSER.parse(args);
            if (parsed.help()) {
                io.out().print(PARSER.help(parsed.helpTopic()));
                io.out().flush();
                return 0;
            }
            try (var ctx = contexts == null ? new Context(parsed, io) : contexts.apply(parsed)) {
                return parsed.spec().handler().run(ctx);
            }
        } catch (ClientException e) {
            report(io, e.getMessage(), e, debug);
            return e.kind().exitCode();
        } catch (RuntimeException e) {
            report(io, "internal error (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); run with --debug for details", e, debug);
            return EXIT_INTERNAL;
        }
    }

    /**
     * What {@code --version}, {@code --man} and {@code --completion SHELL} print (alone on the
     * command line), else null.
     */
    static String about(String[] args) {
        if (args.length == 1 && args[0].equals("--version")) {
            return crumbhub.wire.cli.ProgramVersion.line(CommandLine.PROGRAM, CommandRunner.class) + "\n";
        }
        if (args.length == 1 && args[0].equals("--man")) {
            return crumbhub.wire.cli.ManPage.render(Manual.doc(PARSER.specs()),
                    crumbhub.wire.cli.ProgramVersion.of(CommandRunner.class));
        }
        if (args.length >= 1 && args[0].equals("--completion")) {
            if (args.length != 2 || !crumbhub.wire.cli.Completions.SHELLS.contains(args[1])) {
                throw ClientException.usage("usage: " + CommandLine.PROGRAM + " --completion bash|zsh|fish");
            }
            return crumbhub.wire.cli.Completions.render(Manual.doc(PARSER.specs()), args[1]);
        }
        return null;
    }

    /** The exception chain with stack frames, for {@code --debug} only. */
    static void writeTrace(java.io.PrintStream err, Throwable e) {
        var seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<Throwable, Boolean>());
        String prefix = "";
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            err.println(prefix + t);
            for (StackTraceElement frame : t.getStackTrace()) {
                err.println("\tat " + frame);
            }
            for (Throwable s : t.getSuppressed()) {
                err.println("\tSuppressed: " + s);
            }
            prefix = "Caused by: ";
        }
    }

    private static void report(Io io, String message, Throwable e, boolean debug) {
        String line = message == null ? e.getClass().getSimpleName() : message.replaceAll("[\\r\\n]+", " ");
        io.out().flush();
        io.err().println(CommandLine.PROGRAM + ": " + line);
        if (debug) {
            writeTrace(io.err(), e);
        }
        io.err().flush();
    }
}
