package crumbhub.client.irc;

import crumbhub.client.chat.IncomingMessage;
import crumbhub.client.message.Target;

import java.util.List;
import java.util.Map;

/**
 * What the IRC client is sent for one received message (docs/irc.md "Mapping"): a message is
 * PRIVMSG (a CTCP ACTION for /me, TOPIC for a topic); a verified membership change is the JOIN,
 * PART or KICK it means, others a NOTICE in the room; a message that could not be opened is a
 * NOTICE naming its sender and why. Session thread.
 */
final class IncomingLines {
    private IncomingLines() {
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
            case IncomingMessage.Message m -> gateway.messageLines(m.from(), m.conversation(), m.text(), m.time(),
                    m.id().toString(), Map.of());
            case IncomingMessage.Membership m -> membership(gateway, m);
            case IncomingMessage.Unreadable u -> List.of(gateway.notice(
                    u.conversation() instanceof Target.Room ? Gateway.channelOf(u.conversation()) : gateway.me(),
                    "a message from " + u.from() + " could not be read: " + u.reason()));
        };
    }

    private static List<IrcMessage> membership(Gateway gateway, IncomingMessage.Membership m) {
        var e = m.event();
        String channel = Gateway.channelOf(m.conversation());
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
