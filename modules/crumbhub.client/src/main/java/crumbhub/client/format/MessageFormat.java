package crumbhub.client.format;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The two output formats of {@code listen}: a line for people, or a JSON object for programs. */
public final class MessageFormat {
    private static final DateTimeFormatter ISO_UTC_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm");
    /** Continuation lines of a multi-line message are indented this much. */
    private static final String CONTINUATION = "    ";

    private MessageFormat() {}

    /**
     * {@code [HH:MM] #room <alice> text} in {@code zone}. The text is made safe for a terminal:
     * control and bidi-override characters (escape sequences a sender could use to rewrite the
     * screen or disguise text) become U+FFFD, tabs become spaces, and line breaks continue on an
     * indented line. Names are passed through the same filter: they come from the server. An
     * action is {@code * alice waves}, a topic {@code -!- alice set the topic: text}.
     */
    public static String plain(ReceivedMessage m, ZoneId zone) {
        var offer = crumbhub.client.files.FileOffer.decode(m.text());
        if (offer.isPresent()) {
            return FileFormat.plain(m, offer.get(), zone);
        }
        var text = MessageText.decode(m.text());
        String from = terminalSafe(m.from());
        String said = switch (text.kind()) {
            case TEXT -> "<" + from + "> ";
            case ACTION -> "* " + from + " ";
            case TOPIC -> "-!- " + from + " set the topic: ";
        };
        return "[" + CLOCK.format(m.time().atZone(zone)) + "] " + terminalSafe(m.conversation().display())
               + " " + said + terminalSafe(text.text());
    }

    /**
     * One JSON object: room, from, text, id (hex), ts (ISO-8601 UTC, milliseconds: the sender's
     * time), seq, device; {@code kind} ({@code action} or {@code topic}, see {@link MessageText})
     * unless the message is ordinary text; {@code received} (the server's time, ISO-8601 UTC) when
     * the message carries it.
     */
    public static String json(ReceivedMessage m) {
        var offer = crumbhub.client.files.FileOffer.decode(m.text());
        if (offer.isPresent()) {
            return FileFormat.json(m, offer.get());
        }
        var text = MessageText.decode(m.text());
        var json = new Json()
                .put("room", m.conversation().display())
                .put("from", m.from())
                .put("text", text.text())
                .put("id", m.messageIdHex())
                .put("ts", isoUtc(m.time()))
                .put("seq", m.seq())
                .put("device", m.fromDevice());
        if (text.kind() != MessageText.Kind.TEXT) {
            json.put("kind", text.kind().label());
        }
        if (m.received() != null) {
            json.put("received", isoUtc(m.received()));
        }
        return json.toString();
    }

    /**
     * A verified membership change of a room as a line (docs/client.md "Membership events"):
     * {@code [12:00] #ops -- alice invited bob}.
     */
    public static String memberPlain(String room, java.time.Instant time, String text, ZoneId zone) {
        return "[" + CLOCK.format(time.atZone(zone)) + "] " + terminalSafe("#" + room) + " -- " + terminalSafe(text);
    }

    /**
     * A verified membership change as one JSON object: {@code type} "member", {@code room},
     * {@code action} (create, invite, join, leave, kick), {@code by} (who signed it), {@code user}
     * (whom it is about), {@code ts} (the signer's time), {@code id} (the statement's), {@code statement}
     * (its number in the room's log), {@code members} (create only: the members it starts with, comma
     * separated) and {@code owner} (when ownership passed on), {@code text} (the line for people).
     */
    public static String memberJson(String room, String action, String by, String user, java.util.List<String> members,
                                    String newOwner, java.time.Instant time, String id, int statement, String text) {
        var json = new Json().put("type", "member").put("room", "#" + room).put("action", action).put("by", by)
                .put("user", user).put("ts", isoUtc(time)).put("id", id).put("statement", statement);
        if (!members.isEmpty()) {
            json.put("members", String.join(",", members));
        }
        if (!newOwner.isEmpty()) {
            json.put("owner", newOwner);
        }
        return json.put("text", text).toString();
    }

    public static String isoUtc(java.time.Instant t) {
        return ISO_UTC_MILLIS.format(t);
    }

    public static String terminalSafe(String text) {
        var b = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp == '\n') {
                b.append('\n').append(CONTINUATION);
            } else if (cp == '\t') {
                b.append(' ');
            } else if (cp == '\r' || Character.getType(cp) == Character.CONTROL || isBidiControl(cp)) {
                b.append('\uFFFD');
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.toString();
    }

    private static boolean isBidiControl(int cp) {
        return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F
               || cp == 0x061C;
    }
}
