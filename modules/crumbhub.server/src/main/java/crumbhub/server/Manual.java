package crumbhub.server;

import crumbhub.wire.cli.Completions;
import crumbhub.wire.cli.ProgramDoc;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code crumbhub-server}'s manual page and completion scripts, made from the same settings
 * table and subcommands as its {@code --help} ({@link CommandLine#SETTINGS},
 * {@link CommandLine#ADMIN_COMMANDS}).
 */
final class Manual {
    /** The settings whose values are a closed set, for completion. */
    private static final Map<String, List<String>> VALUES = Map.of(
            "registration", List.of("open", "invite", "closed"),
            "log.format", List.of("text", "json"),
            "log.level", List.of("debug", "info", "warn", "error", "off"));

    private Manual() {}

    static ProgramDoc doc() {
        var options = new ArrayList<ProgramDoc.Option>();
        var all = new ArrayList<>(CommandLine.SETTINGS);
        all.add(CommandLine.CONFIG);
        for (CommandLine.Setting s : all) {
            String metavar = s.key().equals("data") ? "DIR" : s.key().equals("config") ? "FILE" : s.metavar();
            options.add(new ProgramDoc.Option(s.flag(), metavar, s.help() + " (" + s.env() + "; default: "
                    + s.defaultText() + ")", VALUES.getOrDefault(s.key(), List.of())));
        }
        options.add(new ProgramDoc.Option("--version", null, "print the version of the server and of its Java runtime"));
        options.add(new ProgramDoc.Option("--man", null, "print this manual page (roff)"));
        options.add(new ProgramDoc.Option("--completion", "SHELL", "print the completion script for bash, zsh or fish",
                Completions.SHELLS));
        options.add(new ProgramDoc.Option("--help", null, "show the help"));
        options.add(new ProgramDoc.Option("-h", null, "show the help"));
        var commands = new ArrayList<ProgramDoc.Command>();
        for (CommandLine.AdminCommand c : CommandLine.ADMIN_COMMANDS) {
            commands.add(new ProgramDoc.Command(c.name(), c.args(), c.help(), c.options().stream()
                    .map(o -> new ProgramDoc.Option(o.flag(), o.metavar(), o.help())).toList()));
        }
        return new ProgramDoc("crumbhub-server", "self-hosted end-to-end encrypted chat server",
                List.of("crumbhub-server [OPTIONS]", "crumbhub-server [--data DIR] COMMAND ...",
                        "crumbhub-server --version | --man | --completion bash|zsh|fish"),
                """
                Runs a CrumbHub server: it relays and stores end-to-end encrypted messages and can
                never read them. It needs no configuration; every setting is a flag, an environment
                variable or a key of the properties file named by --config, a flag beating its
                variable, which beats the file.

                On the first start of a new data directory an invite-only server prints one invite
                code and its crumbhub:// link for its operator. The commands below talk to the running
                server over DIR/admin.sock; run them as the server's user.
                """,
                options, commands,
                List.of(new ProgramDoc.Section("files", """
                                /etc/crumbhub/crumbhub.properties: the settings, when installed as a package.
                                /var/lib/crumbhub: the data directory of the packaged service (server.key, the store, admin.sock).
                                """),
                        new ProgramDoc.Section("exit status", """
                                0 after a clean stop (SIGINT, SIGTERM) or a command that worked, 1 on an error,
                                2 for a bad setting, 70 after a fatal error.
                                """),
                        new ProgramDoc.Section("see also", "crumbhub-client(1), crumbhub-bench(1)")));
    }
}
