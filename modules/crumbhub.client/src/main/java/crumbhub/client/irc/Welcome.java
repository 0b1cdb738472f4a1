package crumbhub.client.irc;

import java.util.ArrayList;
import java.util.List;

/**
 * What a client is sent when it registers (modern.ircdocs.horse "Connection registration"): a
 * NICK if it asked for another nick than the user's (the nick is the CrumbHub user name, so the
 * gateway changes it, as bouncers do), 001-004, 005 ISUPPORT, the MOTD and the control channel.
 */
final class Welcome {
    /** ISUPPORT tokens (modern.ircdocs.horse "Feature Advertisement"). */
    static final List<String> ISUPPORT = List.of("CASEMAPPING=ascii", "CHANTYPES=#&", "CHANMODES=,,,nt",
            "PREFIX=(o)@", "NETWORK=CrumbHub", "NICKLEN=" + crumbhub.client.message.Names.MAX_LENGTH,
            "CHANNELLEN=" + (crumbhub.client.message.Names.MAX_LENGTH + 1), "TOPICLEN=390", "UTF8ONLY",
            "CHATHISTORY=" + IrcOptions.MAX_HISTORY, "MSGREFTYPES=timestamp,msgid");

    static final List<String> MOTD = List.of(
            "CrumbHub IRC gateway: messages are end-to-end encrypted up to this gateway, on your machine.",
            "Rooms are channels (#room), direct conversations are queries (/query user).",
            "/join #room joins or creates a room; /part leaves it (a new invitation is needed to come back).",
            "&crumbhub shows warnings and answers: help, devices, verify USER, confirm USER, status.");

    private Welcome() {
    }

    static void send(Gateway gateway, IrcConnection c, String givenNick) {
        String me = gateway.me();
        String server = gateway.serverName();
        var lines = new ArrayList<IrcMessage>();
        if (!givenNick.equals(me)) {
            lines.add(IrcMessage.of(givenNick + "!" + givenNick + "@" + server, "NICK", me));
        }
        lines.add(IrcMessage.of(server, "001", me, "Welcome to CrumbHub, " + me));
        lines.add(IrcMessage.of(server, "002", me, "Your host is " + server + ", the CrumbHub IRC gateway"));
        lines.add(IrcMessage.of(server, "003", me, "This gateway runs inside crumbhub-client"));
        lines.add(IrcMessage.of(server, "004", me, server, "crumbhub", "i", "nt"));
        var tokens = new ArrayList<>(ISUPPORT);
        tokens.addFirst(me);
        tokens.add("are supported by this server");
        lines.add(IrcMessage.of(server, "005", tokens.toArray(String[]::new)));
        lines.addAll(motd(gateway));
        lines.add(IrcMessage.of(gateway.hostmask(me), "JOIN", Gateway.CONTROL));
        lines.add(IrcMessage.of(server, "332", me, Gateway.CONTROL,
                "CrumbHub control: warnings and account status; say 'help'"));
        lines.add(IrcMessage.of(server, "353", me, "=", Gateway.CONTROL, "@" + me));
        lines.add(IrcMessage.of(server, "366", me, Gateway.CONTROL, "End of /NAMES list"));
        c.sendAll(lines);
    }

    static List<IrcMessage> motd(Gateway gateway) {
        String me = gateway.me();
        String server = gateway.serverName();
        var lines = new ArrayList<IrcMessage>();
        lines.add(IrcMessage.of(server, "375", me, "- " + server + " Message of the day -"));
        for (String line : MOTD) {
            lines.add(IrcMessage.of(server, "372", me, "- " + line));
        }
        lines.add(IrcMessage.of(server, "376", me, "End of /MOTD command."));
        return lines;
    }
}
