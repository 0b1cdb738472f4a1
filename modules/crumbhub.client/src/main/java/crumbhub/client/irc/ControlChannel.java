package crumbhub.client.irc;

import crumbhub.client.ClientException;
import crumbhub.client.e2e.AccountDevices;
import crumbhub.client.message.Names;

import java.util.Locale;

/**
 * The {@code &crumbhub} channel (docs/irc.md): the gateway's own answers and warnings as NOTICEs.
 * Lines said there are commands: {@code help}, {@code status}, {@code devices} (with pending
 * approvals), {@code verify USER} (the safety number and whether it is verified) and
 * {@code confirm USER} (marks it verified, as {@code verify --confirm}). The engine's warnings (a
 * changed identity key, an unapproved device) arrive here too. Parsing on the connection thread,
 * the work on the session thread.
 */
final class ControlChannel {
    private ControlChannel() {
    }

    static void handle(Gateway g, IrcConnection c, String line) {
        String[] words = line.strip().split("\\s+");
        String command = words[0].toLowerCase(Locale.ROOT);
        switch (command) {
            case "help" -> {
                reply(c, "help: this list");
                reply(c, "status: whether the session is connected");
                reply(c, "devices: your devices, their states and pending approvals");
                reply(c, "verify USER: the safety number you share with USER and whether it is verified");
                reply(c, "confirm USER: mark USER verified after comparing the safety number with them");
            }
            case "status" -> g.onSessionNow(c, () -> reply(c, g.engine() != null && g.engine().connected()
                    ? "connected as " + g.me() : "not connected (retrying)"));
            case "devices" -> g.onSession(c, () -> g.requests().devices((devices, failure) -> {
                if (failure != null) {
                    reply(c, "cannot list devices: " + failure.message());
                    return;
                }
                for (AccountDevices.Row row : devices.rows()) {
                    String name = row.listed().map(d -> d.name() + (d.current() ? " (this device)" : "")).orElse("");
                    reply(c, "device " + row.id() + " " + name + ": " + row.stateName());
                }
                pendingLines(g, c, devices);
            }));
            case "verify", "confirm" -> {
                if (words.length < 2) {
                    reply(c, command + " USER");
                    return;
                }
                String user;
                try {
                    user = Names.user(words[1]);
                } catch (ClientException e) {
                    reply(c, e.getMessage());
                    return;
                }
                boolean confirm = command.equals("confirm");
                g.onSession(c, () -> g.engine().verify(user, confirm, (v, failure) -> {
                    if (failure != null) {
                        reply(c, "cannot verify " + user + ": " + failure.message());
                        return;
                    }
                    reply(c, "safety number with " + v.user() + ": " + String.join(" ", v.number().displayText().split("\\s+")));
                    reply(c, v.user() + " is " + (v.verified() ? "verified" : "not verified")
                            + (v.changedSinceVerified() ? "; their identity CHANGED since you verified it" : "")
                            + (confirm || v.verified() ? "" : " (compare the number with them, then: confirm " + v.user() + ")"));
                }));
            }
            default -> reply(c, "unknown command '" + IrcText.oneLine(words[0]) + "'; say help");
        }
    }

    /** At ready: a notice for each device of the account waiting for approval. Session thread. */
    static void pendingDevices(Gateway g, IrcConnection c) {
        g.engine().devices((devices, failure) -> {
            if (failure == null) {
                pendingLines(g, c, devices);
            }
        });
    }

    private static void pendingLines(Gateway g, IrcConnection c, AccountDevices devices) {
        for (AccountDevices.Row row : devices.rows()) {
            if (row.stateName().equals("pending")) {
                reply(c, "device " + row.id() + " is waiting for approval: check its code, then run"
                        + " crumbhub-client devices approve " + row.id() + " --code CODE");
            }
        }
    }

    private static void reply(IrcConnection c, String text) {
        c.send(IrcMessage.of(Gateway.CONTROL_SOURCE, "NOTICE", Gateway.CONTROL, IrcText.oneLine(text)));
    }
}
