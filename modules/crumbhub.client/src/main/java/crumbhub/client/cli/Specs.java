package crumbhub.client.cli;

import java.util.List;

/** The commands of {@code crumbhub-client}, as in docs/client.md "Commands". */
public final class Specs {
    static final OptionSpec FINGERPRINT = OptionSpec.value("fingerprint", "FP",
            "refuse the server unless its key has this fingerprint");
    static final OptionSpec PASSWORD_STDIN = OptionSpec.flag("password-stdin",
            "read the password as one line from stdin instead of the terminal");
    static final OptionSpec DEVICE_NAME = OptionSpec.value("device-name", "NAME",
            "name of this device in 'devices' (default: the host name)");

    public static final CommandSpec REGISTER = new CommandSpec("register", List.of("HOST:PORT", "USER"), false,
            List.of(OptionSpec.value("invite", "CODE", "invite code, if the server requires one"),
                    FINGERPRINT, PASSWORD_STDIN, DEVICE_NAME),
            "create an account and log this device in");
    public static final CommandSpec LOGIN = new CommandSpec("login", List.of("HOST:PORT", "USER"), false,
            List.of(FINGERPRINT, PASSWORD_STDIN, DEVICE_NAME),
            "log this device in to an existing account");
    public static final CommandSpec SEND = new CommandSpec("send", List.of("TARGET", "TEXT"), true, List.of(),
            "send TEXT to #room or @user; exits 0 once the server has stored it");
    public static final CommandSpec LISTEN = new CommandSpec("listen", List.of(), false,
            List.of(OptionSpec.flag("json", "one JSON object a line"),
                    OptionSpec.value("timeout", "SECONDS", "stop after this many seconds"),
                    OptionSpec.value("count", "N", "stop after printing N messages")),
            "print messages as they arrive, including those sent while offline");
    public static final CommandSpec ROOM_CREATE = new CommandSpec("room create", List.of("#ROOM"), false,
            List.of(), "create a room; you become its owner");
    public static final CommandSpec ROOM_JOIN = new CommandSpec("room join", List.of("#ROOM"), false,
            List.of(), "join a room you were invited to");
    public static final CommandSpec ROOM_LEAVE = new CommandSpec("room leave", List.of("#ROOM"), false,
            List.of(), "leave a room");
    public static final CommandSpec ROOM_INVITE = new CommandSpec("room invite", List.of("#ROOM", "USER"), false,
            List.of(), "invite USER to a room");
    public static final CommandSpec ROOM_KICK = new CommandSpec("room kick", List.of("#ROOM", "USER"), false,
            List.of(), "remove USER from a room");
    public static final CommandSpec ROOM_LIST = new CommandSpec("room list", List.of(), false,
            List.of(), "list your rooms and invitations");
    public static final CommandSpec ROOM_MEMBERS = new CommandSpec("room members", List.of("#ROOM"), false,
            List.of(), "list a room's members and their roles");
    public static final CommandSpec DEVICES = new CommandSpec("devices", List.of(), false,
            List.of(), "list your devices");
    public static final CommandSpec DEVICES_REVOKE = new CommandSpec("devices revoke", List.of("ID"), false,
            List.of(), "revoke another of your devices");
    public static final CommandSpec LOGOUT = new CommandSpec("logout", List.of(), false,
            List.of(), "revoke this device and delete the local session");
    public static final CommandSpec PASSPHRASE = new CommandSpec("passphrase", List.of(), false,
            List.of(OptionSpec.flag("remove", "keep the store key in a plain 0600 file again")),
            "protect the local store with a passphrase (or change it)");
    public static final CommandSpec VERIFY = new CommandSpec("verify", List.of("USER"), false,
            List.of(OptionSpec.flag("confirm", "mark USER's current devices as verified")),
            "show the safety number shared with USER, to compare with them");
    public static final CommandSpec CHAT = new CommandSpec("chat", List.of(), false,
            List.of(OptionSpec.flag("demo", "try the UI with made-up conversations, without a server")),
            "full-screen terminal UI (line mode when not on a terminal)");
    public static final CommandSpec DAEMON = new CommandSpec("daemon", List.of(), false,
            List.of(OptionSpec.flag("json", "requests and replies as JSON lines (the only format)")),
            "long-running session for bots: JSON requests on stdin, replies and messages on stdout");

    public static final List<CommandSpec> ALL = List.of(REGISTER, LOGIN, SEND, LISTEN, ROOM_CREATE, ROOM_JOIN,
            ROOM_LEAVE, ROOM_INVITE, ROOM_KICK, ROOM_LIST, ROOM_MEMBERS, DEVICES, DEVICES_REVOKE, LOGOUT,
            PASSPHRASE, VERIFY, CHAT, DAEMON);

    private Specs() {}
}
