package crumbhub.client.cli;

import crumbhub.client.ClientException;

import java.util.Arrays;

/** Commands that only touch the home directory. */
final class LocalCommands {
    private LocalCommands() {}

    /**
     * {@code passphrase}: wraps the store key under a new passphrase (re-encrypting the store
     * under a fresh key); with {@code --remove}, keeps it plain again. A current passphrase is
     * read from {@code CRUMBHUB_PASSPHRASE} or the terminal; a new one from
     * {@code CRUMBHUB_PASSPHRASE} (first time) or {@code CRUMBHUB_NEW_PASSPHRASE} (change), else typed twice.
     */
    static int passphrase(Context ctx) {
        var home = ctx.home();
        boolean protectedNow = home.isPassphraseProtected();
        if (ctx.command.flag("remove")) {
            if (!protectedNow) {
                throw ClientException.usage("the store in " + home.dir() + " has no passphrase to remove");
            }
            home.changeProtection(null);
            ctx.println("passphrase removed: the store key is in " + home.dir().resolve("store.key") + " (mode 0600)");
            return 0;
        }
        char[] passphrase = Secrets.newPassphrase(ctx.io,
                protectedNow ? Secrets.NEW_PASSPHRASE_ENV : Secrets.PASSPHRASE_ENV);
        try {
            home.changeProtection(passphrase);
        } finally {
            Arrays.fill(passphrase, '\0');
        }
        ctx.println(protectedNow ? "passphrase changed" : "the local store is now protected by a passphrase;"
                + " commands will ask for it or read " + Secrets.PASSPHRASE_ENV);
        return 0;
    }
}
