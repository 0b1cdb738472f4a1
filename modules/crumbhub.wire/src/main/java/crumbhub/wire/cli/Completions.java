package crumbhub.wire.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders a {@link ProgramDoc} as bash, zsh and fish completion scripts: command words (and the
 * second word of two-word commands), the options of the command typed so far plus the program's,
 * paths after an option that takes a file or directory, and the fixed values of an option that has
 * them. The scripts need nothing but the shell. Stateless.
 */
public final class Completions {
    /** The shells there is a script for, as {@code --completion SHELL} names them. */
    public static final List<String> SHELLS = List.of("bash", "zsh", "fish");

    private Completions() {}

    /**
     * The script for {@code shell}.
     *
     * @throws IllegalArgumentException for a shell not in {@link #SHELLS}
     */
    public static String render(ProgramDoc doc, String shell) {
        return switch (shell) {
            case "bash" -> bash(doc);
            case "zsh" -> zsh(doc);
            case "fish" -> fish(doc);
            default -> throw new IllegalArgumentException("completion scripts exist for " + String.join(", ", SHELLS)
                    + ", not '" + shell + "'");
        };
    }

    private static String function(ProgramDoc doc) {
        return "_" + doc.name().replace('-', '_');
    }

    /** Commands, two-word ones first, so a shell {@code case} meets the longest name first. */
    private static List<ProgramDoc.Command> longestFirst(ProgramDoc doc) {
        var list = new ArrayList<>(doc.commands());
        list.sort(Comparator.comparingInt((ProgramDoc.Command c) -> c.subword() == null ? 1 : 0));
        return list;
    }

    private static List<ProgramDoc.Option> allOptions(ProgramDoc doc) {
        var all = new ArrayList<>(doc.options());
        doc.commands().forEach(c -> all.addAll(c.options()));
        return all;
    }

    private static String names(List<ProgramDoc.Option> options) {
        return options.stream().map(ProgramDoc.Option::name).distinct().collect(Collectors.joining(" "));
    }

    private static String valued(ProgramDoc doc) {
        return names(allOptions(doc).stream().filter(ProgramDoc.Option::takesValue).toList());
    }

    static String bash(ProgramDoc doc) {
        var b = new StringBuilder();
        b.append("# bash completion for ").append(doc.name()).append(", generated from its command specs (")
                .append(doc.name()).append(" --completion bash)\n");
        b.append(function(doc)).append("() {\n");
        b.append("    local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n");
        b.append("    local cmd=\"\" i w valued=\" ").append(valued(doc)).append(" \"\n");
        b.append("    for (( i = 1; i < COMP_CWORD; i++ )); do\n");
        b.append("        w=\"${COMP_WORDS[i]}\"\n");
        b.append("        [[ \"$w\" == -* ]] && continue\n");
        b.append("        [[ \"$valued\" == *\" ${COMP_WORDS[i-1]} \"* ]] && continue\n");
        b.append("        cmd=\"${cmd:+$cmd }$w\"\n");
        b.append("    done\n");
        b.append("    case \"$prev\" in\n");
        valueCases(doc, b, "        ", o -> o.metavar().equals("DIR") ? "COMPREPLY=( $(compgen -d -- \"$cur\") ); return ;;"
                : "COMPREPLY=( $(compgen -f -- \"$cur\") ); return ;;",
                o -> "COMPREPLY=( $(compgen -W \"" + String.join(" ", o.values()) + "\" -- \"$cur\") ); return ;;",
                "return ;;");
        b.append("    esac\n");
        b.append("    local words=\"\" opts=\"").append(names(doc.options())).append("\"\n");
        b.append("    case \"$cmd\" in\n");
        for (ProgramDoc.Command c : longestFirst(doc)) {
            b.append("        \"").append(c.name()).append("\"|\"").append(c.name()).append(" \"*)");
            if (!c.options().isEmpty()) {
                b.append(" opts=\"$opts ").append(names(c.options())).append("\";");
            }
            if (c.subword() == null && !doc.subwords(c.name()).isEmpty()) {
                b.append(" [[ \"$cmd\" == \"").append(c.name()).append("\" ]] && words=\"")
                        .append(String.join(" ", doc.subwords(c.name()))).append("\";");
            }
            b.append(" ;;\n");
        }
        for (String word : doc.words()) {
            if (doc.commands().stream().noneMatch(c -> c.name().equals(word))) {
                b.append("        \"").append(word).append("\") words=\"").append(String.join(" ", doc.subwords(word)))
                        .append("\" ;;\n");
            }
        }
        b.append("        \"\") words=\"").append(String.join(" ", doc.words())).append("\" ;;\n");
        b.append("    esac\n");
        b.append("    if [[ \"$cur\" == -* || -z \"$words\" ]]; then\n");
        b.append("        COMPREPLY=( $(compgen -W \"$opts\" -- \"$cur\") )\n");
        b.append("    else\n");
        b.append("        COMPREPLY=( $(compgen -W \"$words\" -- \"$cur\") )\n");
        b.append("    fi\n");
        b.append("}\n");
        b.append("complete -F ").append(function(doc)).append(' ').append(doc.name()).append('\n');
        return b.toString();
    }

    static String zsh(ProgramDoc doc) {
        var b = new StringBuilder();
        b.append("#compdef ").append(doc.name()).append('\n');
        b.append("# zsh completion for ").append(doc.name()).append(", generated from its command specs (")
                .append(doc.name()).append(" --completion zsh)\n");
        b.append(function(doc)).append("() {\n");
        b.append("    local cmd=\"\" i w valued=\" ").append(valued(doc)).append(" \"\n");
        b.append("    local -a opts cmds\n");
        b.append("    for (( i = 2; i < CURRENT; i++ )); do\n");
        b.append("        w=\"${words[i]}\"\n");
        b.append("        [[ \"$w\" == -* ]] && continue\n");
        b.append("        [[ \"$valued\" == *\" ${words[i-1]} \"* ]] && continue\n");
        b.append("        cmd=\"${cmd:+$cmd }$w\"\n");
        b.append("    done\n");
        b.append("    case \"${words[CURRENT-1]}\" in\n");
        valueCases(doc, b, "        ", o -> o.metavar().equals("DIR") ? "_files -/; return ;;" : "_files; return ;;",
                o -> "compadd -- " + String.join(" ", o.values()) + "; return ;;", "return ;;");
        b.append("    esac\n");
        b.append("    opts=(").append(zshOptions(doc.options())).append(")\n");
        b.append("    case \"$cmd\" in\n");
        for (ProgramDoc.Command c : longestFirst(doc)) {
            b.append("        \"").append(c.name()).append("\"|\"").append(c.name()).append(" \"*)");
            if (!c.options().isEmpty()) {
                b.append(" opts+=(").append(zshOptions(c.options())).append(");");
            }
            if (c.subword() == null && !doc.subwords(c.name()).isEmpty()) {
                b.append(" [[ \"$cmd\" == \"").append(c.name()).append("\" ]] && cmds=(")
                        .append(zshWords(doc, c.name())).append(");");
            }
            b.append(" ;;\n");
        }
        for (String word : doc.words()) {
            if (doc.commands().stream().noneMatch(c -> c.name().equals(word))) {
                b.append("        \"").append(word).append("\") cmds=(").append(zshWords(doc, word)).append(") ;;\n");
            }
        }
        b.append("        \"\") cmds=(").append(zshWords(doc, null)).append(") ;;\n");
        b.append("    esac\n");
        b.append("    if [[ \"$PREFIX\" == -* ]] || (( ${#cmds} == 0 )); then\n");
        b.append("        _describe -t options option opts\n");
        b.append("    else\n");
        b.append("        _describe -t commands command cmds\n");
        b.append("    fi\n");
        b.append("}\n");
        b.append(function(doc)).append(" \"$@\"\n");
        return b.toString();
    }

    private static String zshOptions(List<ProgramDoc.Option> options) {
        return options.stream().map(o -> single(o.name().replace(":", "\\:") + ":" + o.help()))
                .collect(Collectors.joining(" "));
    }

    /** {@code word:summary} entries: the command words (group null) or a group's second words. */
    private static String zshWords(ProgramDoc doc, String group) {
        var entries = new ArrayList<String>();
        if (group == null) {
            for (String word : doc.words()) {
                String summary = doc.commands().stream().filter(c -> c.name().equals(word)).findFirst()
                        .map(ProgramDoc.Command::summary).orElse(String.join(", ", doc.subwords(word)));
                entries.add(single(word + ":" + summary));
            }
        } else {
            doc.commands().stream().filter(c -> group.equals(c.word()) && c.subword() != null)
                    .forEach(c -> entries.add(single(c.subword() + ":" + c.summary())));
        }
        return String.join(" ", entries);
    }

    static String fish(ProgramDoc doc) {
        var b = new StringBuilder();
        String p = doc.name();
        b.append("# fish completion for ").append(p).append(", generated from its command specs (").append(p)
                .append(" --completion fish)\n");
        b.append("complete -c ").append(p).append(" -f\n");
        for (ProgramDoc.Option o : doc.options()) {
            b.append("complete -c ").append(p).append(fishOption(o)).append('\n');
        }
        for (String word : doc.words()) {
            String summary = doc.commands().stream().filter(c -> c.name().equals(word)).findFirst()
                    .map(ProgramDoc.Command::summary).orElse(String.join(", ", doc.subwords(word)));
            b.append("complete -c ").append(p).append(" -n __fish_use_subcommand -a ").append(word)
                    .append(" -d ").append(single(summary)).append('\n');
        }
        for (String word : doc.words()) {
            List<String> subs = doc.subwords(word);
            for (ProgramDoc.Command c : doc.commands()) {
                if (word.equals(c.word()) && c.subword() != null) {
                    b.append("complete -c ").append(p).append(" -n ")
                            .append(single("__fish_seen_subcommand_from " + word + "; and not __fish_seen_subcommand_from "
                                    + String.join(" ", subs)))
                            .append(" -a ").append(c.subword()).append(" -d ").append(single(c.summary())).append('\n');
                }
            }
        }
        for (ProgramDoc.Command c : doc.commands()) {
            String when = c.subword() == null ? "__fish_seen_subcommand_from " + c.name()
                    : "__fish_seen_subcommand_from " + c.word() + "; and __fish_seen_subcommand_from " + c.subword();
            for (ProgramDoc.Option o : c.options()) {
                b.append("complete -c ").append(p).append(" -n ").append(single(when)).append(fishOption(o)).append('\n');
            }
        }
        return b.toString();
    }

    private static String fishOption(ProgramDoc.Option o) {
        var b = new StringBuilder();
        b.append(o.name().startsWith("--") ? " -l " + o.name().substring(2) : " -s " + o.name().substring(1));
        if (!o.values().isEmpty()) {
            b.append(" -x -a ").append(single(String.join(" ", o.values())));
        } else if (o.takesPath()) {
            b.append(" -r -F");
        } else if (o.takesValue()) {
            b.append(" -x");
        }
        return b.append(" -d ").append(single(o.help())).toString();
    }

    /** The {@code case} arms for the word after an option that takes a value. */
    private static void valueCases(ProgramDoc doc, StringBuilder b, String indent,
                                   java.util.function.Function<ProgramDoc.Option, String> path,
                                   java.util.function.Function<ProgramDoc.Option, String> words, String other) {
        var seen = new java.util.HashSet<String>();
        for (ProgramDoc.Option o : allOptions(doc)) {
            if (!o.takesValue() || !seen.add(o.name())) {
                continue;
            }
            b.append(indent).append(o.name()).append(") ");
            b.append(!o.values().isEmpty() ? words.apply(o) : o.takesPath() ? path.apply(o) : other).append('\n');
        }
    }

    /** {@code text} in single quotes for sh, zsh and fish: a quote inside ends, escapes and restarts. */
    static String single(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
