package crumbhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every admin subcommand against a real {@code bin/crumbhub-server} process while it runs, then a
 * backup restored onto a stopped server: same key, users, rooms and pending messages.
 */
class OperationsTest {

    @Test
    void adminCommandsWorkOnARunningServerAndABackupRestoresTheSameState(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        Path backup = tmp.resolve("backups/first");
        String dataArg = data.toString();
        ClientHome alice = new ClientHome("alice", tmp.resolve("alice"));
        ClientHome bob = new ClientHome("bob", tmp.resolve("bob"));
        int port;
        String fingerprint;
        try (ServerProcess server = ServerProcess.start(data, 0, "--registration", "invite")) {
            port = server.port;
            fingerprint = server.fingerprint;
            assertThat(ok(Image.server("--data", dataArg, "fingerprint")).stdout().strip()).isEqualTo(server.fingerprint);

            // the code, then the same invite as a link (docs/operations.md "Invite links")
            var invite = ok(Image.server("--data", dataArg, "invite", "--uses", "2", "--expires", "1d")).stdout().lines().toList();
            String code = invite.getFirst();
            assertThat(code).matches("[a-z2-7]{24}");
            assertThat(invite.get(1)).startsWith("crumbhub://");
            Image.Result noInvite = new ClientHome("carol", tmp.resolve("carol"))
                    .runWithInput("carol password\n", "register", server.address(), "carol", "--password-stdin");
            assertThat(noInvite.exit()).isNotZero();
            for (ClientHome h : List.of(alice, bob)) {
                Image.Result r = h.runWithInput(h.user + " password 9\n", "register", server.address(), h.user,
                        "--password-stdin", "--invite", code);
                assertThat(r.exit()).as(r.stderr()).isZero();
            }

            assertThat(ok(Image.server("--data", dataArg, "users")).lines())
                    .hasSize(2).anySatisfy(l -> assertThat(l).startsWith("alice\tactive\tdevices=1"))
                    .anySatisfy(l -> assertThat(l).startsWith("bob\tactive\tdevices=1"));
            assertThat(ok(Image.server("--data", dataArg, "devices", "alice")).lines())
                    .singleElement().asString().startsWith("1\tactive\t");

            alice.ok("room", "create", "#ops");
            alice.ok("room", "invite", "#ops", "bob");
            bob.ok("room", "join", "#ops");
            alice.ok("send", "#ops", "pending one");
            alice.ok("send", "@bob", "pending two");

            assertThat(ok(Image.server("--data", dataArg, "ban", "bob")).stdout()).contains("bob is banned");
            assertThat(ok(Image.server("--data", dataArg, "users")).stdout()).contains("bob\tbanned");
            Image.Result banned = bob.run("send", "#ops", "let me talk");
            assertThat(banned.exit()).isNotZero();
            assertThat(banned.stderr().strip()).doesNotContain("\n").doesNotContain("Exception");
            assertThat(ok(Image.server("--data", dataArg, "unban", "bob")).stdout()).contains("no longer banned");

            Files.createDirectories(backup.getParent());
            Image.Result b = ok(Image.server("--data", dataArg, "backup", backup.toString()));
            // three stored messages wait for bob's device: alice's sender key for #ops (a to-device
            // message over their pairwise session), the room message, and the direct message
            assertThat(b.stdout()).contains("2 users, 1 rooms, 3 messages waiting");
            assertThat(b.stderr()).contains("crumbhub-server: backup: writing the snapshot")
                    .contains("crumbhub-server: backup: checking the backup");

            assertThat(ok(Image.server("--data", dataArg, "revoke", "alice", "1")).stdout())
                    .contains("revoked device 1 of alice");
            assertThat(alice.run("send", "@bob", "from a revoked device").exit()).isNotZero();

            Image.Result whileRunning = Image.server("--data", dataArg, "restore", backup.toString(), "--force");
            assertThat(whileRunning.exit()).isEqualTo(1);
            assertThat(whileRunning.stderr()).contains("is running on").contains("stop it before restoring");
            Image.Result unknown = Image.server("--data", dataArg, "ban", "nobody");
            assertThat(unknown.exit()).isEqualTo(1);
            assertThat(unknown.stderr().strip()).isEqualTo("crumbhub-server: no such user");
            assertThat(server.terminate()).isZero();
        }
        Image.Result stopped = Image.server("--data", dataArg, "users");
        assertThat(stopped.exit()).isEqualTo(1);
        assertThat(stopped.stderr().strip()).startsWith("crumbhub-server: no server is running");

        Path restored = tmp.resolve("restored");
        Image.Result r = ok(Image.server("--data", restored.toString(), "restore", backup.toString()));
        assertThat(r.stderr()).contains("crumbhub-server: restore: copying").contains("checking that the copy replays");
        assertThat(r.stdout()).contains("2 users, 1 rooms, 3 messages waiting");
        Image.Result again = Image.server("--data", restored.toString(), "restore", backup.toString());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.stderr()).contains("already holds a server").contains("--force");

        try (ServerProcess server = ServerProcess.start(restored, port)) {
            assertThat(server.fingerprint).isEqualTo(fingerprint);
            assertThat(ok(Image.server("--data", restored.toString(), "users")).lines()).hasSize(2);
            assertThat(bob.ok("room", "list").stdout()).contains("ops");
            List<Map<String, Object>> got = bob.listenJson(2, 30);
            assertThat(got).extracting(m -> m.get("text")).containsExactly("pending one", "pending two");
            // the backup was taken before the revocation: alice's device works again
            alice.ok("send", "@bob", "after the restore");
            assertThat(bob.listenJson(1, 30)).extracting(m -> m.get("text")).containsExactly("after the restore");
            assertThat(server.terminate()).isZero();
        }
    }

    private static Image.Result ok(Image.Result r) {
        assertThat(r.exit()).as("exit status; stderr: %s", r.stderr()).isZero();
        return r;
    }
}
