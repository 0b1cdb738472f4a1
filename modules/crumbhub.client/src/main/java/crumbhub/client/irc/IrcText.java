package crumbhub.client.irc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Text from CrumbHub made fit for IRC lines. A message may be 60,000 bytes over several lines,
 * an IRC line at most 512 bytes with its CR LF (modern.ircdocs.horse "Compatibility with
 * incorrect software"): a body is split at its line breaks, then into pieces that fit, at code
 * point boundaries; CR and NUL are dropped. Names that come from the server (users, rooms) are
 * checked by the server's rules, but a lying server could send any bytes: {@link #token} keeps a
 * name to characters that cannot end or split an IRC line or parameter.
 */
final class IrcText {
    /** An IRC line's bytes without tags and without CR LF (RFC 1459 §2.3: 512 with CR LF). */
    static final int MAX_LINE = 510;

    private IrcText() {
    }

    /**
     * The pieces of {@code text} that each fit in a line whose other parts (source, command,
     * target, separators) take {@code overhead} bytes. An empty text is one empty piece.
     */
    static List<String> split(String text, int overhead) {
        int room = Math.max(64, MAX_LINE - overhead);
        var pieces = new ArrayList<String>();
        for (String line : text.replace("\r\n", "\n").split("\n", -1)) {
            String clean = line.replace("\r", "").replace("\0", "");
            int start = 0;
            while (true) {
                int end = start;
                int bytes = 0;
                while (end < clean.length()) {
                    int cp = clean.codePointAt(end);
                    int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
                    if (bytes + size > room) {
                        break;
                    }
                    bytes += size;
                    end += Character.charCount(cp);
                }
                pieces.add(clean.substring(start, end));
                if (end >= clean.length()) {
                    break;
                }
                start = end;
            }
        }
        while (pieces.size() > 1 && pieces.getLast().isEmpty()) {
            pieces.removeLast(); // a trailing newline adds no empty line
        }
        return pieces;
    }

    /** {@code name} as one IRC token: space, comma, colon, CR, LF, NUL, '!' and '@' become '_'. */
    static String token(String name) {
        if (name.isEmpty()) {
            return "_";
        }
        var b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            b.append(c <= ' ' || c == ',' || c == ':' || c == '!' || c == '@' || c == '\u007f' ? '_' : c);
        }
        return b.toString();
    }

    /** One line of notice text: CR, LF and NUL become spaces. */
    static String oneLine(String text) {
        return text.replace('\r', ' ').replace('\n', ' ').replace('\0', ' ');
    }
}
