package crumbhub.client.irc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One IRC message (modern.ircdocs.horse "Messages", IRCv3 "Message tags"):
 * {@code [@tags] [:source] COMMAND [params] [:trailing]}. Parsing takes a line without its CR LF
 * and never throws on what a client may send: a line with no command parses to an empty command,
 * which the connection ignores. Formatting writes the last parameter as a trailing one when it
 * has to (empty, a space, or a leading colon) and refuses CR, LF and NUL anywhere, so no text
 * that reaches a parameter can start a second line (callers split text first, {@link IrcText}).
 *
 * @param tags    tag keys to values (unescaped); empty values are kept as ""
 * @param source  the prefix without its colon, or "" for none
 * @param command upper-cased for words, as given for numerics
 */
public record IrcMessage(Map<String, String> tags, String source, String command, List<String> params) {
    /** At most 15 parameters (RFC 1459 §2.3): more are folded into the last. */
    static final int MAX_PARAMS = 15;

    public IrcMessage {
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(command, "command");
        params = List.copyOf(params);
    }

    /** A message without tags. */
    public static IrcMessage of(String source, String command, String... params) {
        return new IrcMessage(Map.of(), source, command, List.of(params));
    }

    public String param(int i) {
        return i < params.size() ? params.get(i) : "";
    }

    /** The same message with {@code extra} tags in front of its own. */
    public IrcMessage withTags(Map<String, String> extra) {
        if (extra.isEmpty()) {
            return this;
        }
        var all = new LinkedHashMap<>(extra);
        all.putAll(tags);
        return new IrcMessage(all, source, command, params);
    }

    /** The same message without tags (for a client that did not negotiate message tags). */
    public IrcMessage withoutTags() {
        return tags.isEmpty() ? this : new IrcMessage(Map.of(), source, command, params);
    }

    /** Parses one line (without CR LF). */
    public static IrcMessage parse(String line) {
        int i = 0;
        int n = line.length();
        var tags = new LinkedHashMap<String, String>();
        if (i < n && line.charAt(i) == '@') {
            int end = indexOfSpace(line, i);
            for (String tag : line.substring(i + 1, end).split(";")) {
                if (tag.isEmpty()) {
                    continue;
                }
                int eq = tag.indexOf('=');
                tags.put(eq < 0 ? tag : tag.substring(0, eq), eq < 0 ? "" : unescape(tag.substring(eq + 1)));
            }
            i = skipSpaces(line, end);
        }
        String source = "";
        if (i < n && line.charAt(i) == ':') {
            int end = indexOfSpace(line, i);
            source = line.substring(i + 1, end);
            i = skipSpaces(line, end);
        }
        int end = indexOfSpace(line, i);
        String command = line.substring(i, end);
        if (!command.chars().allMatch(Character::isDigit)) {
            command = command.toUpperCase(java.util.Locale.ROOT);
        }
        i = skipSpaces(line, end);
        var params = new ArrayList<String>();
        while (i < n) {
            if (line.charAt(i) == ':' || params.size() == MAX_PARAMS - 1) {
                params.add(line.substring(line.charAt(i) == ':' ? i + 1 : i));
                break;
            }
            end = indexOfSpace(line, i);
            params.add(line.substring(i, end));
            i = skipSpaces(line, end);
        }
        return new IrcMessage(tags, source, command, params);
    }

    /** The line, without CR LF. */
    @Override
    public String toString() {
        var b = new StringBuilder();
        if (!tags.isEmpty()) {
            b.append('@');
            boolean first = true;
            for (var e : tags.entrySet()) {
                if (!first) {
                    b.append(';');
                }
                first = false;
                b.append(e.getKey());
                if (!e.getValue().isEmpty()) {
                    b.append('=').append(escape(e.getValue()));
                }
            }
            b.append(' ');
        }
        if (!source.isEmpty()) {
            b.append(':').append(source).append(' ');
        }
        b.append(command);
        for (int p = 0; p < params.size(); p++) {
            String value = params.get(p);
            boolean last = p == params.size() - 1;
            b.append(' ');
            if (last && (p > 0 || value.isEmpty() || value.indexOf(' ') >= 0 || value.charAt(0) == ':')) {
                b.append(':');
            }
            b.append(value);
        }
        String line = b.toString();
        for (int k = 0; k < line.length(); k++) {
            char c = line.charAt(k);
            if (c == '\r' || c == '\n' || c == '\0') {
                throw new IllegalArgumentException("an IRC line cannot hold CR, LF or NUL");
            }
        }
        return line;
    }

    private static int indexOfSpace(String s, int from) {
        int sp = s.indexOf(' ', from);
        return sp < 0 ? s.length() : sp;
    }

    private static int skipSpaces(String s, int from) {
        int i = from;
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    /** IRCv3 tag value escaping ("Escaping values"). */
    static String escape(String value) {
        var b = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            switch (c) {
                case ';' -> b.append("\\:");
                case ' ' -> b.append("\\s");
                case '\\' -> b.append("\\\\");
                case '\r' -> b.append("\\r");
                case '\n' -> b.append("\\n");
                case '\0' -> { }
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String unescape(String value) {
        var b = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (++i >= value.length()) {
                break; // a lone trailing backslash is dropped
            }
            char e = value.charAt(i);
            b.append(switch (e) {
                case ':' -> ';';
                case 's' -> ' ';
                case 'r' -> '\r';
                case 'n' -> '\n';
                default -> e;
            });
        }
        return b.toString();
    }
}
