package crumbhub.client.cli;

import crumbhub.client.ClientException;
import crumbhub.client.home.SessionRecord;
import crumbhub.client.message.Names;
import crumbhub.client.net.ServerAddress;
import crumbhub.client.ops.Operation;
import crumbhub.crypto.Bytes;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.Fingerprint;
import crumbhub.wire.AuthFrame;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.DeviceFrame;
import crumbhub.client.e2e.AccountDevices;
import crumbhub.wire.DeviceInfo;
import crumbhub.wire.InvalidLinkException;
import crumbhub.wire.InviteLink;
import crumbhub.wire.Limits;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Optional;

/** register, login, join, devices, devices approve, devices revoke, logout (docs/client.md). */
final class AccountCommands {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm");

    private AccountCommands() {}

    static int register(Context ctx) {
        var cmd = ctx.command;
        return authenticate(ctx, true, new Account(ServerAddress.parse(cmd.positional(0)), cmd.positional(1),
                fingerprintOption(cmd), FINGERPRINT_OPTION, cmd.value("invite").orElse("")));
    }

    static int login(Context ctx) {
        var cmd = ctx.command;
        return authenticate(ctx, false, new Account(ServerAddress.parse(cmd.positional(0)), cmd.positional(1),
                fingerprintOption(cmd), FINGERPRINT_OPTION, ""));
    }

    /**
     * {@code join LINK USER}: {@code register} with the address, invite code and server key of an
     * invite link (docs/client.md "Invite links"); a server whose key is not the link's is refused
     * before the password is sent.
     */
    static int join(Context ctx) {
        return authenticate(ctx, true, Account.fromLink(ctx.command.positional(0), ctx.command.positional(1)));
    }

    private static final String FINGERPRINT_OPTION = "given with --fingerprint";

    /**
     * Where and as whom to register or log in.
     *
     * @param expected       the server key's fingerprint the user expects, if any
     * @param expectedSource where {@code expected} came from, for the refusal line
     * @param invite         the invite code, or empty
     */
    record Account(ServerAddress server, String user, Optional<String> expected, String expectedSource, String invite) {
        /**
         * Registration through the invite link {@code text}: its address, its code, its key.
         *
         * @throws ClientException (usage) with the link's one-line problem
         */
        static Account fromLink(String text, String user) {
            InviteLink link;
            try {
                link = InviteLink.parse(text);
            } catch (InvalidLinkException e) {
                throw ClientException.usage(e.getMessage());
            }
            return new Account(ServerAddress.parse(link.address()), user, Optional.of(Bytes.hex(link.keyDigest())),
                    "in the invite link", link.code());
        }
    }

    private static Optional<String> fingerprintOption(ParsedCommand cmd) {
        var expected = cmd.value("fingerprint");
        if (expected.isPresent()) {
            try {
                Fingerprint.parse(expected.get());
            } catch (CryptoException e) {
                throw ClientException.usage("--fingerprint: not a fingerprint (64 hex digits): " + e.getMessage());
            }
        }
        return expected;
    }

    /**
     * Registers ({@code register}, {@code join}, the chat's first run) or logs in this device,
     * pins the server key, stores the session and sets up the account's end-to-end identity.
     * Blocking; reads the password from the terminal or stdin as the command's flags say.
     */
    static int authenticate(Context ctx, boolean register, Account account) {
        var cmd = ctx.command;
        var server = account.server();
        var user = Names.user(account.user());
        var expected = account.expected();
        String invite = account.invite();
        checkLength(invite, Limits.INVITE, "the invite code");
        String deviceName = cmd.value("device-name").orElseGet(() -> defaultDeviceName(ctx));
        checkLength(deviceName, Limits.DEVICE_NAME, "the device name");

        var home = ctx.home();
        home.prepareForLogin();
        if (home.hasSession()) {
            SessionRecord old = home.session();
            if (!old.server().equals(server) || !old.user().equals(user)) {
                ctx.notice("replacing the session of " + old.user() + " on " + old.server()
                        + " (that device stays registered; revoke it with 'devices revoke " + old.deviceId() + "')");
                home.deleteSession();
            }
        }
        byte[] password = Secrets.password(ctx.io, cmd.flag("password-stdin"), register);
        String recoveryCode = !register && cmd.flag("recovery-code-stdin") ? Secrets.recoveryCode(ctx.io) : null;
        try (var deviceKey = home.deviceKey();
             var session = Sessions.connectFirst(ctx, server, deviceKey, expected, account.expectedSource())) {
            AuthFrame.AuthOk ok = register ? session.register(user, password, invite, deviceName)
                    : session.login(user, password, deviceName);
            var token = ok.token().toByteArray();
            try {
                home.saveSession(new SessionRecord(server, session.serverPublicKey(), ok.user(),
                        Integer.toUnsignedLong(ok.deviceId()), token));
            } finally {
                Arrays.fill(token, (byte) 0);
            }
            var e2e = ctx.e2e();
            e2e.attach(session);
            e2e.maintain();
            long device = Integer.toUnsignedLong(ok.deviceId());
            ctx.println((register ? "registered " : "logged in as ") + ok.user() + " on " + server
                    + " (device " + device + ")");
            if (register || cmd.flag("new-identity")) {
                if (!register) {
                    ctx.println("your account " + ok.user() + " has a NEW identity: everyone you talk to is told, and"
                            + " contacts who verified you must verify you again; your other devices are pending");
                }
                String code = e2e.createAccount();
                ctx.println("recovery code: " + code);
                ctx.println("  write it down and keep it safe: it is shown only this once, and it is the only way back"
                        + " into your account's identity if every device is lost");
            } else if (recoveryCode != null) {
                e2e.recoverAccount(recoveryCode);
                ctx.println("device " + device + " is approved (recovery code)");
                try {
                    BackupCommands.restoreInto(ctx, home, home.session(), e2e, session);
                } catch (ClientException e) {
                    // the device is approved either way; the restore can be run again
                    ctx.notice("WARNING: the account's history backup was not restored (" + e.getMessage()
                            + "); run crumbhub-client backup restore later");
                }
            } else {
                var pending = e2e.joinAccount();
                if (pending.isEmpty()) {
                    ctx.println("device " + device + " is approved");
                } else {
                    String code = pending.get().approvalCode();
                    ctx.println("device " + device + " is PENDING: it receives no end-to-end message and nothing it"
                            + " sends is shown as " + ok.user() + "'s until an approved device approves it");
                    ctx.println("approval code: " + code);
                    ctx.println("to approve it, run on an approved device of " + ok.user() + ": crumbhub-client devices"
                            + " approve " + device + " --code " + code);
                }
            }
            return 0;
        } finally {
            Arrays.fill(password, (byte) 0);
        }
    }

    static int devices(Context ctx, Operation.ListDevices op) {
        var e2e = ctx.e2e();
        try (var s = Sessions.resume(ctx, e2e::onPush)) {
            e2e.attach(s.session());
            e2e.maintain();
            var list = op.callOn(s.session());
            var devices = AccountDevices.of(e2e, list.items(), list.more());
            for (AccountDevices.Row row : devices.rows()) {
                if (row.listed().isEmpty()) {
                    continue;
                }
                DeviceInfo d = row.listed().get();
                ctx.println(String.format("%s %-6d %-24s %-8s created %s  last seen %s",
                        d.current() ? "*" : " ", row.id(), ClientText.safe(d.name()), row.stateName(),
                        when(ctx, d.createdMs()), when(ctx, d.lastSeenMs())));
            }
            if (devices.more()) {
                ctx.println("(more devices not shown)");
            }
            for (AccountDevices.Row row : devices.rows()) {
                if (row.listed().isEmpty()) {
                    ctx.println(String.format("  %-6d %-24s %-8s", row.id(), "", row.stateName()));
                }
            }
            return 0;
        }
    }

    /** {@code devices approve ID --code CODE}. */
    static int approve(Context ctx) {
        String raw = ctx.command.positional(0);
        int device = parseRevoke(ctx.command).device();
        String code = ctx.command.value("code").orElseThrow(() -> ClientException.usage(
                "devices approve: give the code the new device showed with --code CODE"));
        var e2e = ctx.e2e();
        try (var s = Sessions.resume(ctx, e2e::onPush)) {
            e2e.attach(s.session());
            e2e.maintain();
            e2e.approveDevice(device, code);
            ctx.println("approved device " + raw);
            return 0;
        }
    }

    /** {@code devices revoke ID}: an unsigned 32-bit device id. */
    static Operation.RevokeDevice parseRevoke(ParsedCommand command) {
        String raw = command.positional(0);
        if (!raw.matches("[0-9]{1,10}") || Long.parseLong(raw) > 0xffff_ffffL) {
            throw ClientException.usage("devices: '" + ClientText.safe(raw) + "' is not a device id");
        }
        return new Operation.RevokeDevice((int) Long.parseLong(raw));
    }

    static int revoke(Context ctx, Operation.RevokeDevice op) {
        String raw = ctx.command.positional(0);
        try (var s = Sessions.resume(ctx, f -> {})) {
            if (Integer.toUnsignedLong(op.device()) == s.record().deviceId()) {
                throw ClientException.usage("device " + raw + " is this device; use crumbhub-client logout");
            }
            // named as typed, so that an error line repeats the argument
            s.session().call("devices revoke " + raw, op::request, op.replyType());
            ctx.println("revoked device " + raw);
            return 0;
        }
    }

    /**
     * Revokes this device on the server, then deletes the local session, device key and state.
     * A session the server no longer accepts is deleted locally all the same.
     */
    static int logout(Context ctx) {
        var home = ctx.home();
        SessionRecord record = home.session();
        try (var s = Sessions.resume(ctx, f -> {})) {
            s.session().call("logout", AuthFrame.Logout::new, ControlFrame.Ok.class);
        } catch (ClientException e) {
            if (!e.getMessage().startsWith("session expired")) {
                throw e;
            }
            ctx.notice("the server had already ended this session");
        }
        home.deleteSession();
        ctx.println("logged out " + record.user() + " from " + record.server() + "; device " + record.deviceId()
                + " revoked");
        return 0;
    }

    private static String when(Context ctx, long epochMs) {
        return epochMs <= 0 ? "never" : WHEN.format(Instant.ofEpochMilli(epochMs).atZone(ctx.io.zone()));
    }

    private static void checkLength(String value, int max, String what) {
        if (value.getBytes(StandardCharsets.UTF_8).length > max) {
            throw ClientException.usage(what + " is longer than " + max + " bytes");
        }
    }

    /** The host name, from $HOSTNAME or /etc/hostname, cut to the protocol's bound. */
    static String defaultDeviceName(Context ctx) {
        String name = ctx.io.env("HOSTNAME");
        if (name == null || name.isBlank()) {
            try {
                Path etc = Path.of("/etc/hostname");
                name = Files.isReadable(etc) ? Files.readString(etc).strip() : "";
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                name = "";
            }
        }
        name = ClientText.safe(name).strip();
        if (name.isEmpty()) {
            name = "crumbhub-client";
        }
        while (name.getBytes(StandardCharsets.UTF_8).length > Limits.DEVICE_NAME) {
            name = name.substring(0, name.length() - 1);
        }
        return name;
    }
}
