package crumbhub.bench;

import crumbhub.wire.cli.Completions;
import crumbhub.wire.cli.ProgramDoc;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code crumbhub-bench}'s manual page and completion scripts, made from its {@code --help}
 * ({@link BenchArgs#USAGE}): every option line there, plus the two the usage's first lines name.
 */
final class Manual {
    /** {@code   --clients C            connections (default 100)}: an option line of the usage. */
    private static final Pattern OPTION = Pattern.compile("^\\s+(--[a-z0-9-]+)(?: ([A-Za-z|:]+))?\\s{2,}(\\S.*)$");
    private static final Map<String, List<String>> VALUES = Map.of(
            "--target", List.of("crumbhub", "irc"),
            "--scenario", List.of("fanout", "rooms", "idle", "pingpong", "ack", "soak", "overload"));

    private Manual() {}

    static ProgramDoc doc() {
        var options = new ArrayList<ProgramDoc.Option>();
        options.add(new ProgramDoc.Option("--server", "HOST:PORT", "the server to load (required)"));
        options.add(new ProgramDoc.Option("--scenario", "NAME",
                "fanout (default), rooms, idle, pingpong, ack, soak or overload",
                VALUES.get("--scenario")));
        String[] lines = BenchArgs.USAGE.split("\n");
        for (int i = 0; i < lines.length; i++) {
            var m = OPTION.matcher(lines[i]);
            if (!m.matches()) {
                continue;
            }
            var help = new StringBuilder(m.group(3).strip());
            while (i + 1 < lines.length && lines[i + 1].startsWith(" ".repeat(20)) && !OPTION.matcher(lines[i + 1]).matches()) {
                help.append(' ').append(lines[++i].strip());
            }
            String metavar = m.group(2) == null ? null : m.group(2).contains("|") ? "NAME" : m.group(2);
            options.add(new ProgramDoc.Option(m.group(1), metavar, help.toString(),
                    VALUES.getOrDefault(m.group(1), List.of())));
        }
        options.add(new ProgramDoc.Option("--version", null, "print the version of the bench and of its Java runtime"));
        options.add(new ProgramDoc.Option("--man", null, "print this manual page (roff)"));
        options.add(new ProgramDoc.Option("--completion", "SHELL", "print the completion script for bash, zsh or fish",
                Completions.SHELLS));
        options.add(new ProgramDoc.Option("--help", null, "show the help"));
        return new ProgramDoc("crumbhub-bench", "load generator for CrumbHub and IRC servers",
                List.of("crumbhub-bench --server HOST:PORT [OPTIONS]",
                        "crumbhub-bench --version | --man | --completion bash|zsh|fish"),
                """
                Opens many client connections to a CrumbHub server (or an IRC server, to compare) and
                sends messages in steps of rising rate, printing for each step the offered rate, the
                delivered messages per second, latency p50/p99/max and loss.

                A server with default limits throttles registrations and requests per address: start
                a server for benchmarking with the settings docs/benchmarks.md names, or the bench
                stops with one line saying which limit it met.
                """,
                options, List.of(),
                List.of(new ProgramDoc.Section("see also", "crumbhub-server(1), crumbhub-client(1)")));
    }
}
