package crumbhub.wire.cli;

import java.util.List;
import java.util.Objects;

/**
 * What a program's {@code --help} says, as data: its commands and options, so that its manual
 * page ({@link ManPage}) and its shell completions ({@link Completions}) are generated from the
 * same specs as its help and cannot drift from them. Each program builds one from its own command
 * table (the client's {@code Specs}, the server's settings, the bench's options).
 *
 * @param name        the program ({@code crumbhub-client})
 * @param summary     one line for the manual's NAME section
 * @param synopsis    usage lines, without the program name's own line break
 * @param description paragraphs for DESCRIPTION, separated by blank lines
 * @param options     options every command takes (or the program's only ones)
 * @param commands    subcommands, possibly two words ({@code room create}); empty for a program without
 * @param sections    further manual sections (title, paragraphs), such as FILES or ENVIRONMENT
 */
public record ProgramDoc(String name, String summary, List<String> synopsis, String description, List<Option> options,
                         List<Command> commands, List<Section> sections) {
    public ProgramDoc {
        Objects.requireNonNull(name);
        Objects.requireNonNull(summary);
        synopsis = List.copyOf(synopsis);
        Objects.requireNonNull(description);
        options = List.copyOf(options);
        commands = List.copyOf(commands);
        sections = List.copyOf(sections);
    }

    /**
     * One option.
     *
     * @param name    with its dashes: {@code --home}
     * @param metavar the value's placeholder ({@code DIR}), or null for a flag
     * @param help    one sentence
     * @param values  the only values it takes, for completion ({@code text}, {@code json}); empty: any
     */
    public record Option(String name, String metavar, String help, List<String> values) {
        public Option {
            Objects.requireNonNull(name);
            Objects.requireNonNull(help);
            values = List.copyOf(values);
            if (!name.startsWith("-")) {
                throw new IllegalArgumentException("an option starts with '-': " + name);
            }
        }

        public Option(String name, String metavar, String help) {
            this(name, metavar, help, List.of());
        }

        public boolean takesValue() {
            return metavar != null;
        }

        /** Whether its value names a file or directory, so completion offers paths. */
        public boolean takesPath() {
            return metavar != null && List.of("DIR", "FILE", "PATH", "DEST", "BACKUP").contains(metavar);
        }

        /** {@code --home DIR}, or {@code --debug}. */
        public String synopsis() {
            return metavar == null ? name : name + " " + metavar;
        }
    }

    /**
     * One subcommand.
     *
     * @param name    one or two words: {@code send}, {@code room create}
     * @param args    its positionals as shown in usage ({@code TARGET TEXT...}), or empty
     * @param summary one line
     * @param options its own options (the program's {@link #options()} come on top)
     */
    public record Command(String name, String args, String summary, List<Option> options) {
        public Command {
            Objects.requireNonNull(name);
            Objects.requireNonNull(args);
            Objects.requireNonNull(summary);
            options = List.copyOf(options);
        }

        /** The first word: the command, or the group of a two-word command. */
        public String word() {
            int space = name.indexOf(' ');
            return space < 0 ? name : name.substring(0, space);
        }

        /** The second word of a two-word command, else null. */
        public String subword() {
            int space = name.indexOf(' ');
            return space < 0 ? null : name.substring(space + 1);
        }
    }

    /** A further manual section: its title (FILES) and paragraphs separated by blank lines. */
    public record Section(String title, String text) {}

    /** The first words of every command, once each, in order. */
    public List<String> words() {
        return commands.stream().map(Command::word).distinct().toList();
    }

    /** The second words of the commands in group {@code word}, in order. */
    public List<String> subwords(String word) {
        return commands.stream().filter(c -> c.word().equals(word) && c.subword() != null).map(Command::subword).toList();
    }

    /** Every option name: the program's and every command's, once each. */
    public List<String> allOptionNames() {
        var all = new java.util.LinkedHashSet<String>();
        options.forEach(o -> all.add(o.name()));
        commands.forEach(c -> c.options().forEach(o -> all.add(o.name())));
        return List.copyOf(all);
    }
}
