package crumbhub.client.format;

import java.util.Objects;

/**
 * What a message's text means, as the clients agree on it: the text that goes to the
 * {@link crumbhub.client.message.MessageSealer} (and comes out of the opener) is this encoding, so
 * the convention is end-to-end encrypted along with the text and the server never sees it.
 *
 * <pre>
 *   TEXT     the text as typed                      "hello"
 *   ACTION   /me, as CTCP writes it                 "\u0001ACTION waves\u0001"
 *   TOPIC    /topic: a room's topic, set in-band     "\u0001TOPIC Be kind\u0001"
 * </pre>
 *
 * Ordinary text is sent unchanged, so older clients and {@code send} interoperate; a typed text
 * that would itself start with U+0001 has that character replaced by U+FFFD, so nothing typed can
 * pass for an action or a topic. Decoding accepts the closing U+0001 as optional (as CTCP does).
 *
 * @param text the text without the markers
 */
public record MessageText(Kind kind, String text) {
    public enum Kind {
        TEXT, ACTION, TOPIC;

        /** Lower case, as in JSON output ({@code "kind":"action"}). */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final char MARK = '\u0001';
    private static final String ACTION = MARK + "ACTION";
    private static final String TOPIC = MARK + "TOPIC";

    public MessageText {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
    }

    public static MessageText text(String text) {
        return new MessageText(Kind.TEXT, text);
    }

    /** The string handed to the sealer. */
    public String encode() {
        return switch (kind) {
            case TEXT -> !text.isEmpty() && text.charAt(0) == MARK ? '\uFFFD' + text.substring(1) : text;
            case ACTION -> ACTION + " " + text + MARK;
            case TOPIC -> TOPIC + " " + text + MARK;
        };
    }

    /** The meaning of an opened body; anything not marked is plain text. */
    public static MessageText decode(String body) {
        if (body.isEmpty() || body.charAt(0) != MARK) {
            return text(body);
        }
        for (Kind kind : new Kind[] {Kind.ACTION, Kind.TOPIC}) {
            String marker = kind == Kind.ACTION ? ACTION : TOPIC;
            if (!body.startsWith(marker)) {
                continue;
            }
            String rest = body.substring(marker.length());
            if (rest.isEmpty() || rest.equals(String.valueOf(MARK))) {
                return new MessageText(kind, "");
            }
            if (rest.charAt(0) != ' ') {
                continue; // "\u0001ACTIONS…" is not an action
            }
            rest = rest.substring(1);
            if (rest.endsWith(String.valueOf(MARK))) {
                rest = rest.substring(0, rest.length() - 1);
            }
            return new MessageText(kind, rest);
        }
        return text(body);
    }

    /** Bodies are private: never in logs. */
    @Override
    public String toString() {
        return "MessageText[" + kind + ", " + text.length() + " chars]";
    }
}
