package crumbhub.client.cli;

import crumbhub.client.ops.Operation;

/**
 * {@code verify USER [--confirm]}: prints the safety number shared with USER, computed over the
 * two account identities only (this user's as this device holds it, USER's as the server lists
 * it; docs/crypto.md "Safety numbers"), and says whether USER is verified. With {@code --confirm},
 * marks USER's account identity as verified; from then on nothing is sent to USER, nor shown
 * under another identity of theirs, until USER is verified again.
 */
final class VerifyCommand {
    private VerifyCommand() {}

    static int run(Context ctx, Operation.Verify op) {
        String user = op.user();
        boolean confirm = op.confirm();
        var e2e = ctx.e2e();
        try (var s = Sessions.resume(ctx, e2e::onPush)) {
            e2e.attach(s.session());
            e2e.maintain();
            var v = e2e.verify(user, confirm);
            ctx.println("Safety number with " + user + ":");
            for (String line : v.number().displayText().split("\n")) {
                ctx.println("  " + line);
            }
            if (confirm) {
                ctx.println("marked " + user + " as verified");
            } else if (v.changedSinceVerified()) {
                ctx.println(user + " was verified, but their keys have CHANGED since: compare the number again,"
                        + " then run crumbhub-client verify " + user + " --confirm");
            } else if (v.verified()) {
                ctx.println(user + " is verified");
            } else {
                ctx.println(user + " is not verified: compare this number with " + user
                        + " in person or over a channel you trust, then run crumbhub-client verify " + user + " --confirm");
            }
            return 0;
        }
    }
}
