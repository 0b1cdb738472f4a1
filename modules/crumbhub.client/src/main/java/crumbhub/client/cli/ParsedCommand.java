package crumbhub.client.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A command line after parsing: which command, its positionals and options, and the global
 * options every command takes.
 *
 * @param spec        null when only help was asked for without a command
 * @param positionals in order; the words of a varargs positional are separate elements
 * @param options     option name to value ({@code ""} for a flag that is present)
 * @param home        from {@code --home}, else empty (the caller applies the environment default)
 * @param debug       {@code --debug}: show stack traces
 * @param help        {@code --help} or {@code help}: print usage and do nothing else
 * @param helpTopic   with {@code help}: the command or group name to explain, or null for all
 */
public record ParsedCommand(CommandSpec spec, List<String> positionals, Map<String, String> options,
                            Optional<Path> home, boolean debug, boolean help, String helpTopic) {
    public ParsedCommand {
        positionals = List.copyOf(positionals);
        options = Map.copyOf(options);
    }

    public String name() {
        return spec == null ? "" : spec.name();
    }

    public String positional(int index) {
        return positionals.get(index);
    }

    /** The words of a varargs positional starting at {@code index}, joined by single spaces. */
    public String rest(int index) {
        return String.join(" ", positionals.subList(index, positionals.size()));
    }

    public boolean flag(String optionName) {
        return options.containsKey(optionName);
    }

    public Optional<String> value(String optionName) {
        return Optional.ofNullable(options.get(optionName));
    }
}
