package crumbhub.client.cli;

import crumbhub.client.message.Names;
import crumbhub.client.ops.Operation;

import java.util.List;

/**
 * The commands of {@code crumbhub-client} (docs/client.md). Each binds its handler:
 * the client operation its arguments map onto ({@link Operation}) and what runs it.
 */
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
            "create an account and log this device in",
            CommandHandler.local(AccountCommands::register));
    public static final CommandSpec LOGIN = new CommandSpec("login", List.of("HOST:PORT", "USER"), false,
            List.of(FINGERPRINT, PASSWORD_STDIN, DEVICE_NAME, OptionSpec.flag("recovery-code-stdin",
                    "approve this device at once with the account's recovery code, one line on stdin (after the"
                    + " password line with --password-stdin)"),
                    OptionSpec.flag("new-identity", "every device and the recovery code are lost: start the account"
                            + " over with a new identity (everyone you talk to is told; verified contacts must verify"
                            + " you again)")),
            "log this device in to an existing account",
            CommandHandler.local(AccountCommands::login));
    public static final CommandSpec JOIN = new CommandSpec("join", List.of("LINK", "USER"), false,
            List.of(PASSWORD_STDIN, DEVICE_NAME),
            "create an account with a crumbhub:// invite link; refuses a server whose key is not the link's",
            CommandHandler.local(AccountCommands::join));
    public static final CommandSpec SEND = new CommandSpec("send", List.of("TARGET", "TEXT"), true,
            List.of(OptionSpec.value("reply-to", "ID", "answer message ID (its id in listen --json or history --json)")),
            "send TEXT to #room or @user; exits 0 once the server has stored it",
            CommandHandler.runs(MessageCommands::parseSend, MessageCommands::send));
    public static final CommandSpec SEND_FILE = new CommandSpec("send-file", List.of("TARGET", "PATH"), false, List.of(),
            "send a file, end-to-end encrypted, to #room or @user; exits 0 once the server has stored all of it;"
            + " run it again to resume an interrupted upload",
            CommandHandler.local(FileCommands::sendFile));
    public static final CommandSpec DOWNLOAD = new CommandSpec("download", List.of("ID"), false,
            List.of(OptionSpec.value("to", "DIR", "the directory to write into (default: the current one)")),
            "download and check a file that arrived (ID as listen shows it); never replaces a file",
            CommandHandler.local(FileCommands::download));
    public static final CommandSpec REACT = new CommandSpec("react", List.of("ID", "EMOJI"), false,
            List.of(OptionSpec.flag("remove", "take the reaction back")),
            "react to message ID with EMOJI, end-to-end encrypted to its conversation",
            CommandHandler.runs(InteractCommands::parseReact, InteractCommands::run));
    public static final CommandSpec EDIT = new CommandSpec("edit", List.of("ID", "TEXT"), true, List.of(),
            "replace the text of your message ID; everyone sees it edited, earlier versions stay on devices",
            CommandHandler.runs(InteractCommands::parseEdit, InteractCommands::run));
    public static final CommandSpec DELETE = new CommandSpec("delete", List.of("ID"), false, List.of(),
            "delete your message ID on every device and on the server",
            CommandHandler.runs(InteractCommands::parseDelete, InteractCommands::run));
    public static final CommandSpec LISTEN = new CommandSpec("listen", List.of(), false,
            List.of(OptionSpec.flag("json", "one JSON object a line"),
                    OptionSpec.value("timeout", "SECONDS", "stop after this many seconds"),
                    OptionSpec.value("count", "N", "stop after printing N messages")),
            "print messages as they arrive, including those sent while offline",
            CommandHandler.local(Listen::run));
    public static final CommandSpec HISTORY = new CommandSpec("history", List.of("TARGET"), false,
            List.of(OptionSpec.value("limit", "N", "the newest N messages (default 50)"),
                    OptionSpec.flag("json", "one JSON object a line, as listen --json")),
            "print a conversation's messages from the encrypted history on this device, oldest first",
            CommandHandler.local(HistoryCommands::history));
    public static final CommandSpec SEARCH = new CommandSpec("search", List.of("TEXT"), true,
            List.of(OptionSpec.value("in", "TARGET", "only in this conversation (#room or @user)"),
                    OptionSpec.value("limit", "N", "the newest N matches (default 50)"),
                    OptionSpec.flag("json", "one JSON object a line, as listen --json")),
            "find messages containing TEXT (ignoring case) in the history on this device",
            CommandHandler.local(HistoryCommands::search));
    public static final CommandSpec ROOM_CREATE = new CommandSpec("room create", List.of("#ROOM"), false,
            List.of(), "create a room; you become its owner",
            CommandHandler.runs(p -> new Operation.CreateRoom(room(p)), RoomCommands::create));
    public static final CommandSpec ROOM_JOIN = new CommandSpec("room join", List.of("#ROOM"), false,
            List.of(), "join a room you were invited to",
            CommandHandler.runs(p -> new Operation.JoinRoom(room(p)), RoomCommands::join));
    public static final CommandSpec ROOM_LEAVE = new CommandSpec("room leave", List.of("#ROOM"), false,
            List.of(), "leave a room",
            CommandHandler.runs(p -> new Operation.LeaveRoom(room(p)), RoomCommands::leave));
    public static final CommandSpec ROOM_INVITE = new CommandSpec("room invite", List.of("#ROOM", "USER"), false,
            List.of(), "invite USER to a room",
            CommandHandler.runs(p -> new Operation.Invite(room(p), Names.user(p.positional(1))), RoomCommands::invite));
    public static final CommandSpec ROOM_KICK = new CommandSpec("room kick", List.of("#ROOM", "USER"), false,
            List.of(), "remove USER from a room",
            CommandHandler.runs(p -> new Operation.Kick(room(p), Names.user(p.positional(1))), RoomCommands::kick));
    public static final CommandSpec ROOM_LIST = new CommandSpec("room list", List.of(), false,
            List.of(), "list your rooms and invitations",
            CommandHandler.runs(p -> new Operation.ListRooms(), RoomCommands::list));
    public static final CommandSpec ROOM_MEMBERS = new CommandSpec("room members", List.of("#ROOM"), false,
            List.of(), "list a room's members and their roles",
            CommandHandler.runs(p -> new Operation.ListMembers(room(p)), RoomCommands::members));
    public static final CommandSpec DEVICES = new CommandSpec("devices", List.of(), false,
            List.of(), "list your devices",
            CommandHandler.runs(p -> new Operation.ListDevices(), AccountCommands::devices));
    public static final CommandSpec DEVICES_REVOKE = new CommandSpec("devices revoke", List.of("ID"), false,
            List.of(), "revoke another of your devices",
            CommandHandler.runs(AccountCommands::parseRevoke, AccountCommands::revoke));
    public static final CommandSpec DEVICES_APPROVE = new CommandSpec("devices approve", List.of("ID"), false,
            List.of(OptionSpec.value("code", "CODE", "the approval code the new device showed")),
            "approve a pending device of your account, after checking the code it shows",
            CommandHandler.local(AccountCommands::approve));
    public static final CommandSpec LOGOUT = new CommandSpec("logout", List.of(), false,
            List.of(), "revoke this device and delete the local session",
            CommandHandler.local(AccountCommands::logout));
    public static final CommandSpec PASSPHRASE = new CommandSpec("passphrase", List.of(), false,
            List.of(OptionSpec.flag("remove", "keep the store key in a plain 0600 file again")),
            "protect the local store with a passphrase (or change it)",
            CommandHandler.local(LocalCommands::passphrase));
    public static final CommandSpec VERIFY = new CommandSpec("verify", List.of("USER"), false,
            List.of(OptionSpec.flag("confirm", "mark USER's current devices as verified")),
            "show the safety number shared with USER, to compare with them",
            CommandHandler.runs(p -> new Operation.Verify(Names.user(p.positional(0)), p.flag("confirm")), VerifyCommand::run));
    public static final CommandSpec CHAT = new CommandSpec("chat", List.of(), false,
            List.of(OptionSpec.flag("demo", "try the UI with made-up conversations, without a server"),
                    OptionSpec.flag("password-stdin", "first run: read the password as one line from stdin"),
                    DEVICE_NAME),
            "full-screen terminal UI (line mode when not on a terminal); the first run asks for an invite link",
            CommandHandler.local(SessionCommands::chat));
    public static final CommandSpec DAEMON = new CommandSpec("daemon", List.of(), false,
            List.of(OptionSpec.flag("json", "requests and replies as JSON lines (the only format)")),
            "long-running session for bots: JSON requests on stdin, replies and messages on stdout",
            CommandHandler.local(SessionCommands::daemon));

    public static final CommandSpec IRC = new CommandSpec("irc", List.of(), false,
            List.of(OptionSpec.value("listen", "HOST:PORT", "where IRC clients connect (default 127.0.0.1:6667)"),
                    OptionSpec.value("password-file", "FILE", "the connection password (PASS), first line of FILE;"
                            + " required unless the address is a loopback one"),
                    OptionSpec.value("history", "N", "recent lines replayed when a channel is joined (default 20)")),
            "local IRC gateway: use WeeChat, irssi or any IRC client with this account (docs/irc.md)",
            CommandHandler.local(IrcCommand::run));

    public static final CommandSpec BACKUP_STATUS = new CommandSpec("backup status", List.of(), false, List.of(),
            "show the account history backup: on or off, what waits to upload, the server's use and quota",
            CommandHandler.local(BackupCommands::status));
    public static final CommandSpec BACKUP_RESTORE = new CommandSpec("backup restore", List.of(), false, List.of(),
            "restore the account's history backup into this device's history (the chat does it at its first start)",
            CommandHandler.local(BackupCommands::restore));
    public static final CommandSpec BACKUP_DELETE = new CommandSpec("backup delete", List.of(), false, List.of(),
            "delete the account's whole history backup on the server (every device's); local history stays",
            CommandHandler.local(BackupCommands::delete));
    public static final CommandSpec BACKUP_ON = new CommandSpec("backup on", List.of("TARGET"), false, List.of(),
            "keep the history of #room, @user or all conversations in the account's backup (the default)",
            CommandHandler.local(BackupCommands::on));
    public static final CommandSpec BACKUP_OFF = new CommandSpec("backup off", List.of("TARGET"), false, List.of(),
            "stop keeping the history of #room, @user or all conversations in the account's backup, on this device",
            CommandHandler.local(BackupCommands::off));

    public static final List<CommandSpec> ALL = List.of(REGISTER, JOIN, LOGIN, SEND, SEND_FILE, DOWNLOAD, REACT, EDIT, DELETE, LISTEN, HISTORY, SEARCH, ROOM_CREATE, ROOM_JOIN,
            ROOM_LEAVE, ROOM_INVITE, ROOM_KICK, ROOM_LIST, ROOM_MEMBERS, DEVICES, DEVICES_APPROVE, DEVICES_REVOKE, LOGOUT,
            PASSPHRASE, VERIFY, CHAT, DAEMON, IRC, BACKUP_STATUS, BACKUP_RESTORE, BACKUP_DELETE, BACKUP_ON, BACKUP_OFF);

    private Specs() {}

    /** The first positional as a room name. */
    private static String room(ParsedCommand p) {
        return Names.room(p.positional(0));
    }
}
