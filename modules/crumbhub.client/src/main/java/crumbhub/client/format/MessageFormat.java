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
        var offer = m.interaction() == null ? crumbhub.client.files.FileOffer.decode(m.text())
                : java.util.Optional.<crumbhub.client.files.FileOffer>empty();
        if (offer.isPresent()) {
            return FileFormat.plain(m, offer.get(), zone);
        }
        String head = "[" + CLOCK.format(m.time().atZone(zone)) + "] " + terminalSafe(m.conversation().display()) + " ";
        String from = terminalSafe(m.from());
        switch (m.interaction()) {
            case null -> { }
            case crumbhub.client.message.Interaction.Reply r -> {
                return head + "<" + from + "> (reply to " + r.to() + ") " + terminalSafe(m.text());
            }
            case crumbhub.client.message.Interaction.React r -> {
                return head + "* " + from + (r.remove() ? " took back " : " reacted ") + terminalSafe(m.text())
                       + (r.remove() ? " on " : " to ") + r.to();
            }
            case crumbhub.client.message.Interaction.Edit e -> {
                return head + "* " + from + " edited " + e.to() + ": " + terminalSafe(m.text());
            }
            case crumbhub.client.message.Interaction.Delete d -> {
                return head + "* " + from + " deleted " + d.to();
            }
        }
        var text = MessageText.decode(m.text());
        String said = switch (text.kind()) {
            case TEXT -> "<" + from + "> ";
            case ACTION -> "* " + from + " ";
            case TOPIC -> "-!- " + from + " set the topic: ";
        };
        return head + said + terminalSafe(text.text());
    }

    /**
     * One JSON object: type ({@code message}, or {@code reaction}, {@code edit}, {@code delete}),
     * room, from, text (a message's or an edit's text, a reaction's emoji; none for a delete), id
     * (hex, the event's own), ts (ISO-8601 UTC, milliseconds: the sender's time), seq, device;
     * {@code reply_to} (a reply: the id of the message it answers) or {@code ref} (the id of the
     * message a reaction, edit or delete is about), {@code emoji} and {@code removed} for a
     * reaction; {@code kind} ({@code action} or {@code topic}, see {@link MessageText}) unless the
     * message is ordinary text; {@code received} (the server's time, ISO-8601 UTC) when the message
     * carries it (docs/client.md "listen --json").
     */
    public static String json(ReceivedMessage m) {
        return json(m, false);
    }

    /** As {@link #json(ReceivedMessage)}; {@code edited}: the text is the author's latest edit ({@code "edited":true}, in history). */
    public static String json(ReceivedMessage m, boolean edited) {
        var i = m.interaction();
        if (i == null) {
            var offer = crumbhub.client.files.FileOffer.decode(m.text());
            if (offer.isPresent()) {
                return FileFormat.json(m, offer.get());
            }
        }
        boolean message = i == null || i instanceof crumbhub.client.message.Interaction.Reply;
        var text = message ? MessageText.decode(m.text()) : MessageText.text(m.text());
        var json = new Json()
                .put("room", m.conversation().display())
                .put("from", m.from());
        if (!(i instanceof crumbhub.client.message.Interaction.Delete)) {
            json.put("text", text.text());
        }
        json
                .put("id", m.messageIdHex())
                .put("ts", isoUtc(m.time()))
                .put("seq", m.seq())
                .put("device", m.fromDevice());
        switch (i) {
            case null -> { }
            case crumbhub.client.message.Interaction.Reply r -> json.put("reply_to", r.to().toString());
            case crumbhub.client.message.Interaction.React r -> json.put("ref", r.to().toString())
                    .put("emoji", m.text()).put("removed", r.remove());
            case crumbhub.client.message.Interaction.Edit e -> json.put("ref", e.to().toString());
            case crumbhub.client.message.Interaction.Delete d -> json.put("ref", d.to().toString());
        }
        if (text.kind() != MessageText.Kind.TEXT) {
            json.put("kind", text.kind().label());
        }
        if (m.received() != null) {
            json.put("received", isoUtc(m.received()));
        }
        if (edited) {
            json.put("edited", true);
        }
        // last, so the fields scripts read first keep their places (docs/client.md "listen --json")
        json.put("type", message ? "message" : i.label());
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
