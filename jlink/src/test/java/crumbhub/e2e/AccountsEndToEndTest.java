package crumbhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Accounts, devices and trust through the real image: {@code register} prints the recovery code
 * once; a password login is pending until an approved device approves it with the code it
 * shows; a login with the recovery code is approved at once; only approved devices get messages.
 */
class AccountsEndToEndTest {
    private static final Pattern DEVICE = Pattern.compile("\\(device (\\d+)\\)");
    private static final Pattern CODE = Pattern.compile("(?m)^approval code: (\\S+)$");
    private static final Pattern RECOVERY = Pattern.compile("(?m)^recovery code: (\\S+)$");

    private static String group(Pattern p, String text) {
        Matcher m = p.matcher(text);
        assertThat(m.find()).as("%s in %s", p, text).isTrue();
        return m.group(1);
    }

    /** Approves the device whose {@code login} output is given, from {@code approver}, with the code it printed. */
    static void approve(ClientHome approver, Image.Result login) {
        String id = group(DEVICE, login.stdout());
        String code = group(CODE, login.stdout());
        Image.Result r = approver.ok("devices", "approve", id, "--code", code);
        assertThat(r.stdout()).contains("approved device " + id);
    }

    private static String stateOf(ClientHome who, String deviceId) {
        for (String line : who.ok("devices").lines()) {
            String[] f = line.replace('*', ' ').trim().split("\\s+");
            if (f.length >= 3 && f[0].equals(deviceId)) {
                return f[2];
            }
        }
        return "missing";
    }

    @Test
    void registerLoginPendingApproveAndRecover(@TempDir Path tmp) throws Exception {
        try (ServerProcess server = ServerProcess.start(tmp.resolve("data"), 0)) {
            ClientHome laptop = new ClientHome("alice", tmp.resolve("alice-laptop"));
            ClientHome bob = new ClientHome("bob", tmp.resolve("bob"));
            Image.Result registered = laptop.runWithInput("alice password\n", "register", server.address(), "alice",
                    "--password-stdin");
            assertThat(registered.exit()).as(registered.stderr()).isZero();
            String recovery = group(RECOVERY, registered.stdout());
            bob.register(server, "bob password");

            ClientHome phone = new ClientHome("alice", tmp.resolve("alice-phone"));
            Image.Result login = phone.runWithInput("alice password\n", "login", server.address(), "alice",
                    "--password-stdin");
            assertThat(login.exit()).as(login.stderr()).isZero();
            assertThat(login.stdout()).contains("PENDING").contains("devices approve");
            String phoneId = group(DEVICE, login.stdout());
            assertThat(stateOf(laptop, phoneId)).isEqualTo("pending");

            Image.Result early = phone.run("send", "@bob", "from a pending device");
            assertThat(early.exit()).as("a pending device does not send as alice").isEqualTo(5);
            bob.ok("send", "@alice", "while the phone is pending");
            Image.Result wrong = laptop.run("devices", "approve", phoneId, "--code", "0000-0000-0000-0000");
            assertThat(wrong.exit()).isNotZero();
            assertThat(wrong.stderr()).contains("does not match");

            approve(laptop, login);
            assertThat(stateOf(laptop, phoneId)).isEqualTo("approved");
            bob.ok("send", "@alice", "after the approval");
            List<Map<String, Object>> onPhone = phone.listenJson(1, 30);
            assertThat(onPhone).extracting(m -> m.get("text")).containsExactly("after the approval");
            phone.ok("send", "@bob", "from the approved phone");
            assertThat(bob.listenJson(1, 30)).extracting(m -> m.get("from"), m -> m.get("text"))
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("alice", "from the approved phone"));

            ClientHome tablet = new ClientHome("alice", tmp.resolve("alice-tablet"));
            Image.Result recovered = tablet.runWithInput("alice password\n" + recovery + "\n", "login",
                    server.address(), "alice", "--password-stdin", "--recovery-code-stdin");
            assertThat(recovered.exit()).as(recovered.stderr()).isZero();
            assertThat(recovered.stdout()).contains("approved (recovery code)").doesNotContain("PENDING");
            bob.ok("send", "@alice", "to every approved device");
            assertThat(tablet.listenJson(1, 30)).extracting(m -> m.get("text"))
                    .containsExactly("to every approved device");

            Image.Result numberByBob = bob.ok("verify", "alice");
            Image.Result numberByTablet = tablet.ok("verify", "bob");
            assertThat(numberByBob.lines().subList(1, 4)).as("devices do not change the safety number")
                    .isEqualTo(numberByTablet.lines().subList(1, 4));
        }
    }
}
