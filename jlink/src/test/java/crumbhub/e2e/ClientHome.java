package crumbhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One user's client home directory, driving {@code bin/crumbhub-client} as separate processes. */
final class ClientHome {
    final String user;
    final Path home;
    private final Path image;
    private final Map<String, String> env;

    ClientHome(String user, Path home) {
        this(user, home, null, null);
    }

    /** A client of the image in {@code image} (null: the image under test) with the whole environment {@code env} (null: inherited). */
    ClientHome(String user, Path home, Path image, Map<String, String> env) {
        this.user = user;
        this.home = home;
        this.image = image;
        this.env = env;
    }

    Image.Result run(String... args) {
        return runWithInput(null, args);
    }

    Image.Result runWithInput(String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--home");
        all.add(home.toString());
        return Image.run(image == null ? Image.home() : image, env, "crumbhub-client", stdin, all);
    }

    /** Runs a command that must succeed. */
    Image.Result ok(String... args) {
        Image.Result r = run(args);
        assertThat(r.exit()).as("%s %s failed: %s", user, List.of(args), r.stderr()).isZero();
        return r;
    }

    void register(ServerProcess server, String password) {
        register(server.address(), password);
    }

    /** Registers at {@code address} (host:port), which the home then keeps as its server: a proxy's, say. */
    void register(String address, String password) {
        Image.Result r = runWithInput(password + "\n", "register", address, user, "--password-stdin");
        assertThat(r.exit()).as("register %s: %s", user, r.stderr()).isZero();
    }

    /** {@code listen --json}, returning the parsed messages. */
    List<Map<String, Object>> listenJson(int count, int timeoutSeconds) {
        Image.Result r = run("listen", "--json", "--count", Integer.toString(count),
                "--timeout", Integer.toString(timeoutSeconds));
        assertThat(r.exit()).as("listen for %s: %s", user, r.stderr()).isZero();
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : r.lines()) {
            out.add(JsonLine.parse(line));
        }
        return out;
    }
}
