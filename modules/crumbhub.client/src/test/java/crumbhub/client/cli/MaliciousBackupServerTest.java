package crumbhub.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.backup.HistoryBackup;
import crumbhub.client.chat.HistoryRecord;
import crumbhub.client.chat.HistoryStore;
import crumbhub.client.e2e.E2eClient;
import crumbhub.client.home.Home;
import crumbhub.client.model.ConversationId;
import crumbhub.client.net.ClientSession;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that lies about the account history backup ({@link FakeServer}): it reorders, replays
 * or splices sealed batches, or drops the newest ones. A device that restores detects the first
 * three (the batch does not open as the batch the server claims it is) and keeps what came before;
 * a dropped tail cannot be told from a backup that ended there (docs/crypto.md "History backup").
 */
class MaliciousBackupServerTest {
    private static final Pattern RECOVERY = Pattern.compile("(?m)^recovery code: (\\S+)$");
    private static final ConversationId ROOM = ConversationId.room("general");

    @TempDir
    Path tmp;
    private FakeServer server;
    private final SecureRandom rng = new SecureRandom();

    @BeforeEach
    void start() {
        server = new FakeServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static Run.Result ok(Run.Result r) {
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    private String register(String user) {
        var r = ok(new Run(tmp.resolve(user)).stdin("secret-" + user + "\n").run("register", server.address(), user,
                "--password-stdin"));
        var m = RECOVERY.matcher(r.out());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    /** {@code user}'s device seals one batch per line and uploads them, in order. */
    private void backUp(String user, String... lines) {
        try (Home home = Home.open(tmp.resolve(user), prompt -> null, rng, 1000);
             var deviceKey = home.deviceKey()) {
            var record = home.session();
            var e2e = E2eClient.create(home, record.user(), record.deviceId(), rng, Clock.systemUTC(), w -> { });
            var backup = HistoryBackup.open(home, e2e, record.deviceId(), rng, w -> { });
            try (var session = ClientSession.connect(record.server(), deviceKey, key -> { },
                    ClientSession.Options.DEFAULT, frame -> { })) {
                byte[] token = record.token();
                session.resume(record.user(), (int) record.deviceId(), token);
                int i = 0;
                for (String line : lines) {
                    backup.recorded(ROOM, List.of(new HistoryRecord(HistoryRecord.Kind.TEXT, user + "-" + i, user,
                            ++i, Instant.ofEpochMilli(1_700_000_000_000L + i), line, false)));
                    backup.flush();
                }
                assertThat(backup.upload(BackupCommands.link(session)).batches()).isEqualTo(lines.length);
            }
            backup.close();
        }
    }

    /** A new device of {@code user} logs in with the recovery code; the login's output. */
    private Run.Result recover(String user, String code) {
        return ok(new Run(tmp.resolve(user + "-new")).stdin("secret-" + user + "\n" + code + "\n").run("login",
                server.address(), user, "--password-stdin", "--recovery-code-stdin"));
    }

    private List<String> restoredLines(String home) {
        try (Home h = Home.open(tmp.resolve(home), prompt -> null, rng, 1000)) {
            var record = h.session();
            byte[] key = h.historyKey();
            try (var history = HistoryStore.open(h.historyDir(), key, record.server().key() + " " + record.user(), rng,
                    1000)) {
                return history.loadAll().stream().filter(l -> l.conversation().equals(ROOM))
                        .flatMap(l -> l.records().stream()).map(HistoryRecord::text).toList();
            }
        }
    }

    @Test
    void anHonestServerGivesBackEveryBatch() {
        String code = register("alice");
        backUp("alice", "one", "two", "three");
        var r = recover("alice", code);
        assertThat(r.out()).contains("restored 3 lines of history (3 batches)");
        assertThat(r.err()).doesNotContain("WARNING");
        assertThat(restoredLines("alice-new")).containsExactly("one", "two", "three");
    }

    @Test
    void reorderedBatchesAreDetected() {
        String code = register("alice");
        backUp("alice", "one", "two", "three");
        server.swapBackupBatches("alice", 1, 2);
        var r = recover("alice", code);
        assertThat(r.err()).contains("WARNING: batch 1 of device").contains("altered, moved or replayed");
        assertThat(restoredLines("alice-new")).containsExactly("one");
    }

    @Test
    void aReplayedBatchIsDetected() {
        String code = register("alice");
        backUp("alice", "one", "two", "three");
        server.replayBackupBatch("alice", 0, 2);
        var r = recover("alice", code);
        assertThat(r.err()).contains("WARNING: batch 2 of device");
        assertThat(restoredLines("alice-new")).containsExactly("one", "two");
    }

    @Test
    void batchesSplicedFromAnotherAccountDoNotOpen() {
        String code = register("alice");
        register("mallory");
        backUp("alice", "alice's line");
        backUp("mallory", "planted by mallory");
        server.spliceBackup("mallory", "alice");
        var r = recover("alice", code);
        assertThat(r.err()).contains("WARNING: batch 0 of device").contains("does not open");
        assertThat(restoredLines("alice-new")).containsExactly("alice's line");
    }

    @Test
    void aServerWithoutHistoryBackupsStillLetsTheRecoveryCodeApproveADevice() {
        String code = register("alice");
        server.withoutBackups();
        var r = recover("alice", code);
        assertThat(r.out()).contains("approved (recovery code)");
        assertThat(r.err()).contains("history backup was not restored").contains("backup restore later");
    }

    @Test
    void aDroppedTailIsNotDetected() {
        String code = register("alice");
        backUp("alice", "one", "two", "three");
        server.dropBackupTail("alice", 1);
        var r = recover("alice", code);
        assertThat(r.err()).as("the limit, docs/crypto.md: a prefix looks like a backup that ended there")
                .doesNotContain("WARNING");
        assertThat(restoredLines("alice-new")).containsExactly("one", "two");
    }
}
