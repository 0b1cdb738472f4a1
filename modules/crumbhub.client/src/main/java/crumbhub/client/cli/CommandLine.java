package crumbhub.client.cli;

import crumbhub.client.ClientException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * Parses {@code crumbhub-client} arguments against a list of {@link CommandSpec}s.
 *
 * <p>Rules: the first word (two for a group such as {@code room create}) names the command.
 * Words starting with {@code --} are options, anywhere on the line, as {@code --name value}
 * or {@code --name=value}; {@code --} ends the options, so {@code send #r -- --literal} sends
 * "--literal". A single {@code -} or a word like {@code -5} is an ordinary word. The global
 * options {@code --home DIR}, {@code --debug} and {@code --help} are accepted by every command.
 * Every mistake is a {@link ClientException.Kind#USAGE} exception with a sentence naming it.
 */
public final class CommandLine {
    public static final String PROGRAM = "crumbhub-client";

    static final List<OptionSpec> GLOBAL_OPTIONS = List.of(
            OptionSpec.value("home", "DIR", "home directory (default $CRUMBHUB_HOME, else ~/.crumbhub)"),
            OptionSpec.flag("debug", "show stack traces on errors"),
            OptionSpec.flag("help", "show this help"));

    private final List<CommandSpec> specs;

    public CommandLine(List<CommandSpec> specs) {
        this.specs = List.copyOf(specs);
    }

    public List<CommandSpec> specs() {
        return specs;
    }

    public ParsedCommand parse(String... args) {
        CommandSpec spec = null;
        String group = null;
        var positionals = new ArrayList<String>();
        var options = new LinkedHashMap<String, String>();
        Path home = null;
        boolean debug = false;
        boolean help = false;
        boolean optionsEnded = false;

        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!optionsEnded && arg.equals("--")) {
                optionsEnded = true;
                continue;
            }
            if (!optionsEnded && arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                String name = arg.substring(2, eq < 0 ? arg.length() : eq);
                OptionSpec option = findOption(spec, name);
                if (option == null) {
                    throw ClientException.usage(spec == null && group == null
                            ? "unknown option --" + name + " (try " + PROGRAM + " --help)"
                            : "unknown option --" + name + " for " + commandName(spec, group)
                              + " (try " + PROGRAM + " " + commandName(spec, group) + " --help)");
                }
                String value;
                if (!option.takesValue()) {
                    if (eq >= 0) {
                        throw ClientException.usage("option --" + name + " takes no value");
                    }
                    value = "";
                } else if (eq >= 0) {
                    value = arg.substring(eq + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw ClientException.usage("option --" + name + " needs a value (" + option.valueName() + ")");
                }
                if (options.containsKey(name) || (name.equals("home") && home != null)) {
                    throw ClientException.usage("option --" + name + " given twice");
                }
                switch (name) {
                    case "home" -> {
                        if (value.isEmpty()) {
                            throw ClientException.usage("option --home needs a directory");
                        }
                        home = Path.of(value);
                    }
                    case "debug" -> debug = true;
                    case "help" -> help = true;
                    default -> options.put(name, value);
                }
                continue;
            }
            // an ordinary word
            if (spec == null && group == null) {
                if (arg.equals("help")) {
                    help = true;
                    continue;
                }
                spec = find(arg);
                if (spec == null) {
                    if (!isGroup(arg)) {
                        throw ClientException.usage("unknown command '" + arg + "' (try " + PROGRAM + " --help)");
                    }
                    group = arg;
                }
                continue;
            }
            if (spec == null) {
                spec = find(group + " " + arg);
                if (spec == null) {
                    throw ClientException.usage("unknown command '" + group + " " + arg + "' (try "
                            + PROGRAM + " " + group + " --help)");
                }
                group = null;
                continue;
            }
            if (positionals.isEmpty() && options.isEmpty()) {
                // "devices revoke 3": a longer command that starts with this one
                CommandSpec longer = find(spec.name() + " " + arg);
                if (longer != null) {
                    spec = longer;
                    continue;
                }
            }
            positionals.add(arg);
        }

        if (help) {
            return new ParsedCommand(spec, positionals, options, Optional.ofNullable(home), debug, true,
                    spec != null ? spec.name() : group);
        }
        if (spec == null) {
            throw ClientException.usage(group == null
                    ? "no command given (try " + PROGRAM + " --help)"
                    : "'" + group + "' needs a subcommand (try " + PROGRAM + " " + group + " --help)");
        }
        for (var entry : options.entrySet()) {
            if (spec.option(entry.getKey()).isEmpty()) {
                throw ClientException.usage("unknown option --" + entry.getKey() + " for " + spec.name()
                        + " (try " + PROGRAM + " " + spec.name() + " --help)");
            }
        }
        checkCount(spec, positionals);
        return new ParsedCommand(spec, positionals, options, Optional.ofNullable(home), debug, false, null);
    }

    /** Help text: the command list, a group's commands, or one command's usage and options. */
    public String help(String commandOrGroup) {
        var b = new StringBuilder();
        CommandSpec spec = commandOrGroup == null ? null : find(commandOrGroup);
        if (spec != null) {
            b.append("usage: ").append(spec.usage()).append('\n');
            b.append('\n').append(spec.summary()).append('\n');
            b.append("\noptions:\n");
            for (var o : spec.options()) {
                b.append(String.format("  %-22s %s%n", o.synopsis(), o.help()));
            }
            for (var o : GLOBAL_OPTIONS) {
                b.append(String.format("  %-22s %s%n", o.synopsis(), o.help()));
            }
            return b.toString();
        }
        String prefix = commandOrGroup == null ? "" : commandOrGroup + " ";
        b.append("usage: ").append(PROGRAM).append(" COMMAND [ARGS] [--home DIR] [--debug] [--help]\n\ncommands:\n");
        for (var s : specs) {
            if (s.name().startsWith(prefix)) {
                b.append(String.format("  %-30s %s%n", s.name() + args(s), s.summary()));
            }
        }
        b.append("\n").append(PROGRAM).append(" COMMAND --help shows a command's options.\n");
        b.append(PROGRAM).append(" --version | --man | --completion bash|zsh|fish: the version, the manual page,"
                + " a completion script.\n");
        return b.toString();
    }

    private static String args(CommandSpec s) {
        var b = new StringBuilder();
        for (int i = 0; i < s.positionals().size(); i++) {
            b.append(' ').append(s.positionals().get(i));
            if (s.varargs() && i == s.positionals().size() - 1) {
                b.append("...");
            }
        }
        return b.toString();
    }

    private static void checkCount(CommandSpec spec, List<String> positionals) {
        int expected = spec.positionals().size();
        int got = positionals.size();
        if (got < expected) {
            throw ClientException.usage(spec.name() + ": missing " + spec.positionals().get(got)
                    + " (usage: " + spec.usage() + ")");
        }
        if (got > expected && !spec.varargs()) {
            throw ClientException.usage(spec.name() + ": unexpected argument '" + positionals.get(expected)
                    + "' (usage: " + spec.usage() + ")");
        }
    }

    private OptionSpec findOption(CommandSpec spec, String name) {
        for (var o : GLOBAL_OPTIONS) {
            if (o.name().equals(name)) {
                return o;
            }
        }
        if (spec != null) {
            return spec.option(name).orElse(null);
        }
        // options before the command word: accept any option some command knows; checked later
        for (var s : specs) {
            var o = s.option(name);
            if (o.isPresent()) {
                return o.get();
            }
        }
        return null;
    }

    private static String commandName(CommandSpec spec, String group) {
        return spec != null ? spec.name() : group;
    }

    private CommandSpec find(String name) {
        for (var s : specs) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    private boolean isGroup(String word) {
        for (var s : specs) {
            if (s.name().startsWith(word + " ")) {
                return true;
            }
        }
        return false;
    }
}
