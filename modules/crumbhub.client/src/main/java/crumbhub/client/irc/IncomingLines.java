package crumbhub.client.irc;

import crumbhub.client.chat.IncomingMessage;
import crumbhub.client.format.MessageFormat;
import crumbhub.client.format.MessageText;
import crumbhub.client.message.Target;
import crumbhub.wire.MemberInfo;
import crumbhub.wire.MemberRole;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lines for the IRC client: a message as PRIVMSG or TOPIC lines (also for echoes and replayed
 * history), a room's names, and what one received message becomes (docs/irc.md "Mapping"): a message is
 * PRIVMSG (a CTCP ACTION for /me, TOPIC for a topic); a verified membership change is the JOIN,
 * PART or KICK it means, others a NOTICE in the room; a message that could not be opened is a
 * NOTICE naming its sender and why. Session thread.
 */
final class IncomingLines {
    private IncomingLines() {
    }

    /**
     * The lines of one message: PRIVMSG pieces (a CTCP ACTION for /me) or a TOPIC, tagged with
     * its time and, on the first piece, its id.
     */
    static List<IrcMessage> message(Gateway g, String from, Target conversation, MessageText text, Instant time,
                                    String id, Map<String, String> extraTags) {
        String source = g.hostmask(from);
        String target = switch (conversation) {
            case Target.Room r -> "#" + IrcText.token(r.name());
            case Target.Direct d -> from.equals(g.me()) ? IrcText.token(d.name()) : g.me();
        };
        var lines = new ArrayList<IrcMessage>();
        if (text.kind() == MessageText.Kind.TOPIC) {
            if (conversation instanceof Target.Room) {
                var tags = new LinkedHashMap<>(extraTags);
                tags.put("time", MessageFormat.isoUtc(time));
                if (id != null) {
                    tags.put("msgid", id);
                }
                lines.add(new IrcMessage(tags, source, "TOPIC", List.of(target, IrcText.oneLine(text.text()))));
            }
            return lines;
        }
        boolean action = text.kind() == MessageText.Kind.ACTION;
        int overhead = source.length() + target.length() + 20 + (action ? 9 : 0);
        boolean first = true;
        for (String piece : IrcText.split(text.text(), overhead)) {
            var tags = new LinkedHashMap<>(extraTags);
            tags.put("time", MessageFormat.isoUtc(time));
            if (first && id != null) {
                tags.put("msgid", id);
            }
            first = false;
            String body = action ? "\u0001ACTION " + piece + "\u0001" : piece.isEmpty() ? " " : piece;
            lines.add(new IrcMessage(tags, source, "PRIVMSG", List.of(target, body)));
        }
        return lines;
    }

    /** 353 lines (as many as needed to fit) and 366. */
    static List<IrcMessage> names(Gateway g, String channel, List<MemberInfo> members) {
        var lines = new ArrayList<IrcMessage>();
        var b = new StringBuilder();
        for (MemberInfo m : members) {
            String name = (m.role() == MemberRole.OWNER ? "@" : "") + IrcText.token(m.user());
            if (b.length() + name.length() + 1 > 400) {
                lines.add(IrcMessage.of(Gateway.SERVER, "353", g.me(), "=", channel, b.toString()));
                b.setLength(0);
            }
            b.append(b.isEmpty() ? "" : " ").append(name);
        }
        if (!b.isEmpty()) {
            lines.add(IrcMessage.of(Gateway.SERVER, "353", g.me(), "=", channel, b.toString()));
        }
        lines.add(IrcMessage.of(Gateway.SERVER, "366", g.me(), channel, "End of /NAMES list"));
        return lines;
    }

    /** The IRC name of a conversation as the client sees it: {@code #room}, or the peer's nick. */
    static String channelOf(Target conversation) {
        return switch (conversation) {
            case Target.Room r -> "#" + IrcText.token(r.name());
            case Target.Direct d -> IrcText.token(d.name());
        };
    }

    /** The room {@code in} belongs to, or null for a direct conversation. */
    static String room(IncomingMessage in) {
        Target t = switch (in) {
            case IncomingMessage.Message m -> m.conversation();
            case IncomingMessage.Membership m -> m.conversation();
            case IncomingMessage.Unreadable u -> u.conversation();
        };
        return t instanceof Target.Room r ? r.name() : null;
    }

    static List<IrcMessage> of(Gateway gateway, IncomingMessage in) {
        return switch (in) {
            case IncomingMessage.Message m -> message(gateway, m.from(), m.conversation(), m.text(), m.time(),
                    m.id().toString(), Map.of());
            case IncomingMessage.Membership m -> membership(gateway, m);
            case IncomingMessage.Unreadable u -> List.of(gateway.notice(
                    u.conversation() instanceof Target.Room ? channelOf(u.conversation()) : gateway.me(),
                    "a message from " + u.from() + " could not be read: " + u.reason()));
        };
    }

    private static List<IrcMessage> membership(Gateway gateway, IncomingMessage.Membership m) {
        var e = m.event();
        String channel = channelOf(m.conversation());
        String me = gateway.me();
        var tags = Map.of("time", crumbhub.client.format.MessageFormat.isoUtc(e.time()));
        IrcMessage line = switch (e.action()) {
            case "join" -> e.user().equals(me) ? null : IrcMessage.of(gateway.hostmask(e.user()), "JOIN", channel);
            case "leave" -> {
                if (e.user().equals(me)) {
                    gateway.open.remove(e.room());
                }
                yield IrcMessage.of(gateway.hostmask(e.user()), "PART", channel, IrcText.oneLine(e.text()));
            }
            case "kick" -> {
                if (e.user().equals(me)) {
                    gateway.open.remove(e.room());
                }
                yield IrcMessage.of(gateway.hostmask(e.by()), "KICK", channel, IrcText.token(e.user()),
                        IrcText.oneLine(e.text()));
            }
            default -> gateway.notice(channel, e.text());
        };
        return line == null ? List.of() : List.of(line.withTags(tags));
    }
}
