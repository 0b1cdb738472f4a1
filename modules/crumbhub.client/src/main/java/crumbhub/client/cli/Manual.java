package crumbhub.client.cli;

import crumbhub.wire.cli.ProgramDoc;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code crumbhub-client}'s manual page and completion scripts, made from the same
 * {@link CommandSpec}s as its {@code --help} ({@code --man}, {@code --completion SHELL}; the image
 * build writes them under {@code share/}, docs/operations.md "Manual pages and completions").
 */
final class Manual {
    static final ProgramDoc.Option VERSION = new ProgramDoc.Option("--version", null,
            "print the version of the client and of its Java runtime");
    static final ProgramDoc.Option MAN = new ProgramDoc.Option("--man", null, "print this manual page (roff)");
    static final ProgramDoc.Option COMPLETION = new ProgramDoc.Option("--completion", "SHELL",
            "print the completion script for bash, zsh or fish", crumbhub.wire.cli.Completions.SHELLS);

    private Manual() {}

    static ProgramDoc doc(List<CommandSpec> specs) {
        var options = new ArrayList<ProgramDoc.Option>();
        CommandLine.GLOBAL_OPTIONS.forEach(o -> options.add(option(o)));
        options.addAll(List.of(VERSION, MAN, COMPLETION));
        var commands = new ArrayList<ProgramDoc.Command>();
        for (CommandSpec s : specs) {
            String usage = s.usage().substring(CommandLine.PROGRAM.length() + 1 + s.name().length()).strip();
            int options0 = usage.indexOf(" [--");
            String args = usage.startsWith("[--") ? "" : options0 < 0 ? usage : usage.substring(0, options0);
            commands.add(new ProgramDoc.Command(s.name(), args, s.summary(), s.options().stream().map(Manual::option).toList()));
        }
        return new ProgramDoc(CommandLine.PROGRAM, "end-to-end encrypted terminal chat client",
                List.of(CommandLine.PROGRAM + " COMMAND [ARGS] [--home DIR] [--debug] [--help]",
                        CommandLine.PROGRAM + " --version | --man | --completion bash|zsh|fish"),
                """
                CrumbHub is a self-hosted, end-to-end encrypted chat for the terminal. The client keeps
                its session, keys and history, encrypted, in its home directory; every command after
                register, login or join uses that session without asking again.

                Join a server with the crumbhub:// link its operator gives you: crumbhub-client join
                LINK USER, or run crumbhub-client chat and paste the link. A room is #name, a direct
                conversation @user. Passwords are read from the terminal without echo, or as one line
                from stdin with --password-stdin.

                To keep an IRC client (WeeChat, irssi), run crumbhub-client irc and connect it to
                127.0.0.1:6667: rooms are channels, direct conversations are queries, and messages
                stay end-to-end encrypted up to the gateway on this machine.
                """,
                options, commands,
                List.of(new ProgramDoc.Section("environment", """
                                CRUMBHUB_HOME: the home directory when --home is not given (default ~/.crumbhub).
                                CRUMBHUB_PASSPHRASE: the passphrase of a home protected with crumbhub-client passphrase.
                                CRUMBHUB_STATE_DIR: where send-counter witnesses live (default $XDG_STATE_HOME/crumbhub).
                                NO_COLOR: the chat uses no colours.
                                """),
                        new ProgramDoc.Section("files", """
                                ~/.crumbhub/known_servers: pinned server key fingerprints, one HOST:PORT a line.
                                ~/.crumbhub/: the encrypted session, device keys, end-to-end state and history.
                                """),
                        new ProgramDoc.Section("exit status", """
                                0 success, 1 usage, 2 refused by the server, 3 network, 4 local store,
                                5 server identity (a key that does not match), 6 internal error.
                                """),
                        new ProgramDoc.Section("see also", "crumbhub-server(1), crumbhub-bench(1)")));
    }

    private static ProgramDoc.Option option(OptionSpec o) {
        return new ProgramDoc.Option("--" + o.name(), o.valueName(), o.help());
    }
}
