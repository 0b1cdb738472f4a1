package crumbhub.client.irc;

import crumbhub.client.ClientException;
import crumbhub.client.chat.Failure;
import crumbhub.client.chat.OutgoingMessage;
import crumbhub.client.chat.Requests;
import crumbhub.client.format.MessageText;
import crumbhub.client.message.Names;
import crumbhub.client.message.Target;
import crumbhub.client.ops.Operation;
import crumbhub.wire.MemberInfo;
import crumbhub.wire.MemberRole;
import crumbhub.wire.MessageId;
import crumbhub.wire.RoomInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The commands of a registered client (docs/irc.md "Mapping"), each mapped to a CrumbHub
 * operation run by the session engine: PRIVMSG/NOTICE send, JOIN joins (or creates), PART leaves,
 * INVITE/KICK change membership, NAMES/WHO/LIST list, TOPIC reads the history or sends a topic.
 * Parsing and refusals happen on the connection thread; the work and its replies on the session
 * thread. Replies follow modern.ircdocs.horse's numerics; anything else is 421.
 */
final class GatewayCommands {
    private GatewayCommands() {
    }

    static void handle(Gateway g, IrcConnection c, IrcMessage m) {
        switch (m.command()) {
            case "PRIVMSG", "NOTICE" -> message(g, c, m);
            case "JOIN" -> join(g, c, m);
            case "PART" -> part(g, c, m);
            case "TOPIC" -> topic(g, c, m);
            case "NAMES" -> names(g, c, m);
            case "WHO" -> who(g, c, m);
            case "LIST" -> list(g, c);
            case "INVITE" -> invite(g, c, m);
            case "KICK" -> kick(g, c, m);
            case "MODE" -> mode(g, c, m);
            case "WHOIS" -> {
                if (need(c, m, 1)) {
                    String nick = IrcText.token(m.param(m.params().size() - 1));
                    c.numeric("311", nick, nick, Gateway.SERVER, "*", nick);
                    c.numeric("318", nick, "End of /WHOIS list");
                }
            }
            case "CHATHISTORY" -> {
                if (need(c, m, 4)) {
                    g.onSessionNow(c, () -> c.sendAll(HistoryReplay.chathistory(g, c, m)));
                }
            }
            case "NICK" -> {
                if (m.params().isEmpty()) {
                    c.numeric("431", "No nickname given");
                } else if (!m.param(0).equalsIgnoreCase(g.me())) {
                    c.numeric("432", IrcText.token(m.param(0)), "Your nick is your CrumbHub user name and cannot change");
                }
            }
            case "USER", "PASS" -> c.numeric("462", "You may not reregister");
            case "MOTD" -> c.sendAll(Welcome.motd(g));
            case "AWAY" -> c.numeric(m.params().isEmpty() || m.param(0).isEmpty() ? "305" : "306",
                    m.params().isEmpty() || m.param(0).isEmpty() ? "You are no longer marked as being away"
                            : "You have been marked as being away");
            case "USERHOST" -> c.numeric("302", IrcText.token(g.me()) + "=+" + g.me() + "@" + Gateway.SERVER);
            case "ISON" -> c.numeric("303", "");
            case "VERSION" -> c.numeric("351", "crumbhub-irc", Gateway.SERVER, "CrumbHub IRC gateway");
            case "TIME" -> c.numeric("391", Gateway.SERVER, crumbhub.client.format.MessageFormat.isoUtc(g.clock().instant()));
            default -> c.numeric("421", IrcText.token(m.command()), "Unknown command");
        }
    }

    /** True if {@code m} has at least {@code n} parameters; else a 461. */
    private static boolean need(IrcConnection c, IrcMessage m, int n) {
        if (m.params().size() < n) {
            c.numeric("461", m.command(), "Not enough parameters");
            return false;
        }
        return true;
    }

    /** {@code #name} folded to a room name, or null after a 403. */
    static String room(IrcConnection c, String channel) {
        if (!channel.startsWith("#")) {
            c.numeric("403", IrcText.token(channel), "No such channel");
            return null;
        }
        try {
            return Names.room(channel.substring(1));
        } catch (ClientException e) {
            c.numeric("403", IrcText.token(channel), "No such channel: " + e.getMessage());
            return null;
        }
    }

    private static String user(IrcConnection c, String nick) {
        try {
            return Names.user(nick);
        } catch (ClientException e) {
            c.numeric("401", IrcText.token(nick), "No such nick: " + e.getMessage());
            return null;
        }
    }

    private static void message(Gateway g, IrcConnection c, IrcMessage m) {
        boolean notice = m.command().equals("NOTICE");
        if (m.params().isEmpty()) {
            if (!notice) {
                c.numeric("411", "No recipient given (" + m.command() + ")");
            }
            return;
        }
        if (m.params().size() < 2 || m.param(1).isEmpty()) {
            if (!notice) {
                c.numeric("412", "No text to send");
            }
            return;
        }
        String body = m.param(1);
        MessageText text;
        if (body.startsWith("\u0001ACTION")) {
            text = MessageText.decode(body);
        } else if (body.startsWith("\u0001")) {
            if (!notice) {
                c.send(g.notice(g.me(), "CTCP requests other than ACTION are not sent over CrumbHub"));
            }
            return;
        } else {
            text = MessageText.text(body);
        }
        for (String target : m.param(0).split(",")) {
            if (target.equalsIgnoreCase(Gateway.CONTROL)) {
                if (!notice) {
                    ControlChannel.handle(g, c, body);
                }
                continue;
            }
            Target to;
            if (target.startsWith("#")) {
                String room = room(c, target);
                if (room == null) {
                    continue;
                }
                to = new Target.Room(room);
            } else {
                String user = user(c, target);
                if (user == null) {
                    continue;
                }
                to = new Target.Direct(user);
            }
            send(g, c, to, target, text);
        }
    }

    static void send(Gateway g, IrcConnection c, Target to, String asWritten, MessageText text) {
        var message = new OutgoingMessage(MessageId.random(g.rng()), to, text, g.clock().instant());
        g.onSession(c, () -> {
            g.sends.put(message.id(), new Gateway.Sent(c, IrcText.token(asWritten)));
            g.engine().send(message);
        });
    }

    private static void join(Gateway g, IrcConnection c, IrcMessage m) {
        if (!need(c, m, 1)) {
            return;
        }
        if (m.param(0).equals("0")) {
            c.send(g.notice(g.me(), "JOIN 0 would leave every room: part them one by one"));
            return;
        }
        for (String channel : m.param(0).split(",")) {
            if (channel.equalsIgnoreCase(Gateway.CONTROL)) {
                continue; // always joined
            }
            String room = room(c, channel);
            if (room == null) {
                continue;
            }
            g.onSession(c, () -> g.requests().joinOrCreate(new Operation.JoinRoom(room), (joined, failure) -> {
                if (failure != null && !alreadyMember(failure)) {
                    refuseJoin(c, channel, failure);
                } else if (!g.open.contains(room)) {
                    if (joined == Requests.Joined.CREATED) {
                        c.send(g.notice(Gateway.CONTROL, "created #" + room + "; you own it: /invite NICK #" + room));
                    }
                    c.sendAll(g.joinLines(c, room));
                }
            }));
        }
    }

    /** Joining a room the user is in already is not an error on IRC. */
    private static boolean alreadyMember(Failure f) {
        return f.code().equals("exists") || f.code().equals("wrong_state");
    }

    private static void refuseJoin(IrcConnection c, String channel, Failure f) {
        String ch = IrcText.token(channel);
        switch (f.code()) {
            case "forbidden", "not_member" -> c.numeric("473", ch, "Cannot join channel (+i): " + f.message());
            default -> c.numeric("403", ch, "Cannot join channel: " + f.message());
        }
    }

    private static void part(Gateway g, IrcConnection c, IrcMessage m) {
        if (!need(c, m, 1)) {
            return;
        }
        String reason = m.params().size() > 1 ? IrcText.oneLine(m.param(1)) : "left";
        for (String channel : m.param(0).split(",")) {
            if (channel.equalsIgnoreCase(Gateway.CONTROL)) {
                c.send(IrcMessage.of(g.hostmask(g.me()), "PART", Gateway.CONTROL, reason));
                continue;
            }
            String room = room(c, channel);
            if (room == null) {
                continue;
            }
            g.onSession(c, () -> g.requests().call(new Operation.LeaveRoom(room), (ok, failure) -> {
                if (failure != null) {
                    c.numeric("442", IrcText.token(channel), "You're not on that channel: " + failure.message());
                } else {
                    g.open.remove(room);
                    c.send(IrcMessage.of(g.hostmask(g.me()), "PART", "#" + IrcText.token(room), reason));
                }
            }));
        }
    }

    private static void topic(Gateway g, IrcConnection c, IrcMessage m) {
        if (!need(c, m, 1)) {
            return;
        }
        if (m.param(0).equalsIgnoreCase(Gateway.CONTROL)) {
            c.numeric("332", Gateway.CONTROL, "CrumbHub control: warnings and account status; say 'help'");
            return;
        }
        String room = room(c, m.param(0));
        if (room == null) {
            return;
        }
        if (m.params().size() < 2) {
            g.onSessionNow(c, () -> c.sendAll(HistoryReplay.topicLines(g, c, room)));
        } else {
            send(g, c, new Target.Room(room), m.param(0), new MessageText(MessageText.Kind.TOPIC, m.param(1)));
        }
    }

    private static void names(Gateway g, IrcConnection c, IrcMessage m) {
        if (m.params().isEmpty()) {
            c.numeric("366", "*", "End of /NAMES list");
            return;
        }
        String channel = m.param(0).split(",")[0];
        if (channel.equalsIgnoreCase(Gateway.CONTROL)) {
            c.sendAll(IncomingLines.names(g, Gateway.CONTROL, List.of(new MemberInfo(g.me(), MemberRole.OWNER))));
            return;
        }
        String room = room(c, channel);
        if (room != null) {
            g.onSession(c, () -> g.requests().call(new Operation.ListMembers(room), (list, failure) ->
                    c.sendAll(IncomingLines.names(g, "#" + IrcText.token(room), failure != null ? List.of() : list.items()))));
        }
    }

    private static void who(Gateway g, IrcConnection c, IrcMessage m) {
        String mask = m.param(0);
        if (mask.isEmpty() || mask.equalsIgnoreCase(Gateway.CONTROL)) {
            c.numeric("315", mask.isEmpty() ? "*" : mask, "End of /WHO list");
            return;
        }
        if (!mask.startsWith("#")) {
            String nick = IrcText.token(mask);
            c.numeric("352", "*", nick, Gateway.SERVER, Gateway.SERVER, nick, "H", "0 " + nick);
            c.numeric("315", nick, "End of /WHO list");
            return;
        }
        String room = room(c, mask);
        if (room == null) {
            return;
        }
        g.onSession(c, () -> g.requests().call(new Operation.ListMembers(room), (list, failure) -> {
            var lines = new ArrayList<IrcMessage>();
            String channel = "#" + IrcText.token(room);
            if (failure == null) {
                for (MemberInfo member : list.items()) {
                    String nick = IrcText.token(member.user());
                    lines.add(IrcMessage.of(Gateway.SERVER, "352", g.me(), channel, nick, Gateway.SERVER, Gateway.SERVER,
                            nick, member.role() == MemberRole.OWNER ? "H@" : "H", "0 " + nick));
                }
            }
            lines.add(IrcMessage.of(Gateway.SERVER, "315", g.me(), channel, "End of /WHO list"));
            c.sendAll(lines);
        }));
    }

    private static void list(Gateway g, IrcConnection c) {
        g.onSession(c, () -> g.requests().call(new Operation.ListRooms(), (list, failure) -> {
            var lines = new ArrayList<IrcMessage>();
            lines.add(IrcMessage.of(Gateway.SERVER, "321", g.me(), "Channel", "Users  Name"));
            if (failure == null) {
                for (RoomInfo r : list.items()) {
                    String status = r.status().name().toLowerCase(Locale.ROOT);
                    var topic = HistoryReplay.topic(g, r.room());
                    lines.add(IrcMessage.of(Gateway.SERVER, "322", g.me(), "#" + IrcText.token(r.room()),
                            Integer.toString(r.members()), "[" + status + "] "
                                    + (topic == null ? "" : IrcText.oneLine(topic.text()))));
                }
            } else {
                lines.add(g.notice(g.me(), "cannot list rooms: " + failure.message()));
            }
            lines.add(IrcMessage.of(Gateway.SERVER, "323", g.me(), "End of /LIST"));
            c.sendAll(lines);
        }));
    }

    private static void invite(Gateway g, IrcConnection c, IrcMessage m) {
        if (!need(c, m, 2)) {
            return;
        }
        String user = user(c, m.param(0));
        String room = room(c, m.param(1));
        if (user == null || room == null) {
            return;
        }
        g.onSession(c, () -> g.requests().call(new Operation.Invite(room, user), (ok, failure) -> {
            if (failure != null) {
                c.numeric("482", "#" + IrcText.token(room), "Cannot invite " + IrcText.token(user) + ": " + failure.message());
            } else {
                c.numeric("341", IrcText.token(user), "#" + IrcText.token(room));
            }
        }));
    }

    private static void kick(Gateway g, IrcConnection c, IrcMessage m) {
        if (!need(c, m, 2)) {
            return;
        }
        String room = room(c, m.param(0));
        String user = user(c, m.param(1));
        if (user == null || room == null) {
            return;
        }
        String reason = m.params().size() > 2 ? IrcText.oneLine(m.param(2)) : "removed";
        g.onSession(c, () -> g.requests().call(new Operation.Kick(room, user), (ok, failure) -> {
            if (failure != null) {
                c.numeric("482", "#" + IrcText.token(room), "Cannot kick " + IrcText.token(user) + ": " + failure.message());
            } else {
                c.send(IrcMessage.of(g.hostmask(g.me()), "KICK", "#" + IrcText.token(room), IrcText.token(user), reason));
            }
        }));
    }

    private static void mode(Gateway g, IrcConnection c, IrcMessage m) {
        if (!need(c, m, 1)) {
            return;
        }
        String target = m.param(0);
        if (!target.startsWith("#") && !target.startsWith("&")) {
            if (!target.equalsIgnoreCase(g.me())) {
                c.numeric("502", "Can't change mode for other users");
            } else {
                c.numeric("221", "+i");
            }
            return;
        }
        String channel = IrcText.token(target);
        String modes = m.param(1);
        if (modes.isEmpty()) {
            c.numeric("324", channel, "+nt");
        } else if (modes.equals("b") || modes.equals("+b")) {
            c.numeric("368", channel, "End of channel ban list");
        } else {
            c.numeric("472", IrcText.token(modes), "Channel modes do not exist here: membership is by invitation");
        }
    }
}
