package crumbhub.client;

import crumbhub.client.cli.CommandRunner;
import crumbhub.client.cli.Io;
import crumbhub.client.cli.SecretPrompt;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;

/** Entry point of bin/crumbhub-client. See docs/client.md and {@link CommandRunner}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // UTF-8 whatever the locale: JSON lines must be UTF-8, and terminals are today.
        var out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        var err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        var io = new Io(System.in, out, err, System.getenv(), SecretPrompt.system(), Clock.systemUTC(),
                ZoneId.systemDefault());
        int code = CommandRunner.run(args, io);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
