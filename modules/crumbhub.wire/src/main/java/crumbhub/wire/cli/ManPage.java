package crumbhub.wire.cli;

import java.util.Locale;

/**
 * Renders a {@link ProgramDoc} as a manual page in roff ({@code man 7 man-pages} layout: NAME,
 * SYNOPSIS, DESCRIPTION, OPTIONS, COMMANDS, then the program's own sections). Stateless.
 */
public final class ManPage {
    private ManPage() {}

    /** The page for section 1, dated by nothing but the version (so a rebuild gives the same bytes). */
    public static String render(ProgramDoc doc, String version) {
        var b = new StringBuilder();
        b.append(".TH ").append(quoted(doc.name().toUpperCase(Locale.ROOT))).append(" 1 \"\" ")
                .append(quoted("CrumbHub " + version)).append(' ').append(quoted("CrumbHub Manual")).append('\n');
        b.append(".SH NAME\n").append(escape(doc.name())).append(" \\- ").append(escape(doc.summary())).append('\n');
        b.append(".SH SYNOPSIS\n.nf\n");
        for (String line : doc.synopsis()) {
            b.append(escape(line)).append('\n');
        }
        b.append(".fi\n");
        b.append(".SH DESCRIPTION\n");
        paragraphs(b, doc.description());
        if (!doc.options().isEmpty()) {
            b.append(".SH OPTIONS\n");
            options(b, doc.options());
        }
        if (!doc.commands().isEmpty()) {
            b.append(".SH COMMANDS\n");
            for (ProgramDoc.Command c : doc.commands()) {
                b.append(".TP\n.B ").append(escape(c.name()));
                if (!c.args().isEmpty()) {
                    b.append(' ').append(escape(c.args()));
                }
                b.append('\n').append(escape(c.summary())).append('\n');
                if (!c.options().isEmpty()) {
                    b.append(".RS\n");
                    options(b, c.options());
                    b.append(".RE\n");
                }
            }
        }
        for (ProgramDoc.Section s : doc.sections()) {
            b.append(".SH ").append(escape(s.title().toUpperCase(Locale.ROOT))).append('\n');
            paragraphs(b, s.text());
        }
        return b.toString();
    }

    private static void options(StringBuilder b, java.util.List<ProgramDoc.Option> options) {
        for (ProgramDoc.Option o : options) {
            b.append(".TP\n.B ").append(escape(o.name()));
            if (o.takesValue()) {
                b.append(" \\fI").append(escape(o.metavar())).append("\\fR");
            }
            b.append('\n').append(escape(o.help())).append('\n');
        }
    }

    private static void paragraphs(StringBuilder b, String text) {
        boolean first = true;
        for (String p : text.strip().split("\n\\s*\n")) {
            if (!first) {
                b.append(".PP\n");
            }
            first = false;
            for (String line : p.strip().split("\n")) {
                b.append(escape(line.strip())).append('\n');
            }
        }
    }

    /**
     * Text as roff reads it literally: backslashes and hyphens escaped (so {@code --home} stays two
     * ASCII hyphens a reader can search for), and a line never starting with a control character.
     */
    public static String escape(String text) {
        String s = text.replace("\\", "\\e").replace("-", "\\-");
        return s.startsWith(".") || s.startsWith("'") ? "\\&" + s : s;
    }

    private static String quoted(String s) {
        return "\"" + escape(s).replace("\"", "\\(dq") + "\"";
    }
}
