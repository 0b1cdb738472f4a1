package crumbhub.bench;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.List;

/**
 * Entry point of {@code bin/crumbhub-bench} (docs/benchmarks.md "The tool"): parses the options, sets up
 * the clients on one event-loop group, runs the scenario and prints one line per step on stdout.
 * Progress notes and errors go to stderr; an error is one line and exit status 1 (2 for bad
 * arguments).
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the bench; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 1 && args[0].equals("--version")) {
            out.println(crumbhub.wire.cli.ProgramVersion.line("crumbhub-bench", BenchMain.class));
            return 0;
        }
        if (args.length == 1 && args[0].equals("--man")) {
            out.print(crumbhub.wire.cli.ManPage.render(Manual.doc(), crumbhub.wire.cli.ProgramVersion.of(BenchMain.class)));
            return 0;
        }
        if (args.length >= 1 && args[0].equals("--completion")) {
            if (args.length != 2 || !crumbhub.wire.cli.Completions.SHELLS.contains(args[1])) {
                err.println("crumbhub-bench: usage: crumbhub-bench --completion bash|zsh|fish");
                return 2;
            }
            out.print(crumbhub.wire.cli.Completions.render(Manual.doc(), args[1]));
            return 0;
        }
        if (BenchArgs.wantsHelp(args)) {
            out.print(BenchArgs.USAGE);
            return 0;
        }
        BenchOptions options;
        try {
            options = BenchArgs.parse(args);
        } catch (BenchException e) {
            err.println("crumbhub-bench: " + e.getMessage());
            return 2;
        }
        try {
            run(options, new Report(out, options.json()), err);
            return 0;
        } catch (BenchException e) {
            err.println("crumbhub-bench: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            // a defect, not a condition of the run: still one line, with the type to report it by
            err.println("crumbhub-bench: internal error: " + e);
            return 1;
        }
    }

    /** Runs one scenario and returns its steps, each also printed through {@code report}. */
    public static List<StepResult> run(BenchOptions options, Report report, PrintStream notes) throws BenchException {
        var random = new SecureRandom();
        var meter = new ServerMeter(options.serverPid());
        var metrics = new ServerMetrics(options.serverMetrics());
        if (meter.enabled()) {
            meter.start(); // fails early if the pid is wrong
        }
        try (var ctx = new LoadContext(options, random.nextInt(), notes)) {
            Fleet fleet = switch (options.target()) {
                case CRUMBHUB -> new CrumbFleet(ctx, random);
                case IRC -> new IrcFleet(ctx);
            };
            return switch (options.scenario()) {
                case FANOUT, ROOMS, ACK, OVERLOAD -> new LoadScenario(ctx, fleet, meter, metrics).run(report);
                case SOAK -> new SoakScenario(ctx, (CrumbFleet) fleet, meter, metrics, new java.util.Random(random.nextLong()))
                        .run(report);
                case PINGPONG -> new PingPongScenario(ctx, fleet, meter).run(report);
                case IDLE -> new IdleScenario(ctx, fleet, meter).run(report);
            };
        }
    }
}
