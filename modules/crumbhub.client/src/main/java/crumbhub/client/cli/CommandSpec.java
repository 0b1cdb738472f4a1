package crumbhub.client.cli;

import java.util.List;
import java.util.Optional;

/**
 * The shape of one command: its (possibly two-word) name, positional arguments and options.
 *
 * @param name        {@code "send"} or {@code "room create"}
 * @param positionals placeholders in order ({@code "TARGET"}, {@code "TEXT"})
 * @param varargs     the last positional takes one or more words
 * @param options     the command's own options (the global ones are added by the parser)
 * @param summary     one line for the command list
 * @param handler     what runs it
 */
public record CommandSpec(String name, List<String> positionals, boolean varargs,
                          List<OptionSpec> options, String summary, CommandHandler handler) {
    public CommandSpec {
        positionals = List.copyOf(positionals);
        options = List.copyOf(options);
        java.util.Objects.requireNonNull(handler, "handler");
        if (varargs && positionals.isEmpty()) {
            throw new IllegalArgumentException("varargs needs a positional");
        }
    }

    public Optional<OptionSpec> option(String optionName) {
        return options.stream().filter(o -> o.name().equals(optionName)).findFirst();
    }

    /** {@code crumbhub-client send TARGET TEXT... [--x]}: the usage line. */
    public String usage() {
        var b = new StringBuilder(CommandLine.PROGRAM).append(' ').append(name);
        for (int i = 0; i < positionals.size(); i++) {
            b.append(' ').append(positionals.get(i));
            if (varargs && i == positionals.size() - 1) {
                b.append("...");
            }
        }
        for (var o : options) {
            b.append(" [").append(o.synopsis()).append(']');
        }
        return b.toString();
    }
}
