package crumbhub.client.cli;

import crumbhub.client.ClientException;
import crumbhub.client.net.ServerAddress;
import crumbhub.wire.InviteLink;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The first run of {@code chat} on a home directory with no session (docs/chat.md "First run"):
 * asks for an invite link or a server address, a user name and a password, then registers or logs
 * in through {@link AccountCommands#authenticate}, exactly as {@code join}, {@code register} and
 * {@code login} do. The same prompts serve the full-screen UI and the line mode: they come before
 * either starts, one line each on stdout, answered on stdin (read byte by byte, so the line mode
 * gets the rest of stdin); the password is typed without echo, or read from stdin with
 * {@code --password-stdin}. Runs on the command's thread; blocks on input.
 */
final class FirstRun {
    /** Longest answer to a prompt: an invite link pasted with a mail client's line breaks fits. */
    static final int MAX_ANSWER = 4096;

    private FirstRun() {}

    static void run(Context ctx) {
        ctx.println("No account on this device yet (" + ctx.homeDir() + ").");
        String where = ask(ctx, "Invite link (crumbhub://...) or server address (HOST:PORT): ");
        if (where.isEmpty()) {
            throw ClientException.usage("no account: paste an invite link or a server address, or run "
                    + CommandLine.PROGRAM + " join LINK USER first");
        }
        boolean register;
        AccountCommands.Account account;
        if (where.regionMatches(true, 0, InviteLink.SCHEME, 0, InviteLink.SCHEME.length())) {
            // parsed before the name is asked, so a damaged link is refused at once
            AccountCommands.Account.fromLink(where, "");
            String user = askName(ctx);
            register = true;
            account = AccountCommands.Account.fromLink(where, user);
        } else {
            ServerAddress server = ServerAddress.parse(where);
            String user = askName(ctx);
            String answer = ask(ctx, "Create a new account on " + server + "? [y/N, N logs in to an existing one]: ")
                    .toLowerCase(Locale.ROOT);
            register = answer.equals("y") || answer.equals("yes");
            String invite = register ? ask(ctx, "Invite code (empty if the server needs none): ") : "";
            account = new AccountCommands.Account(server, user, Optional.empty(), "", invite);
        }
        AccountCommands.authenticate(ctx, register, account);
        if (register) {
            ask(ctx, "Write the recovery code down now, then press Enter to open the chat: ");
        }
    }

    private static String askName(Context ctx) {
        String user = ask(ctx, "Your user name: ");
        if (user.isEmpty()) {
            throw ClientException.usage("no user name given");
        }
        return user;
    }

    /** Prints {@code prompt} (no newline) and reads one line of stdin, stripped. */
    private static String ask(Context ctx, String prompt) {
        ctx.io.out().print(prompt);
        ctx.io.out().flush();
        char[] line = Secrets.readLine(ctx.io, "the answer", MAX_ANSWER);
        try {
            return new String(line).strip();
        } finally {
            Arrays.fill(line, '\0');
        }
    }
}
