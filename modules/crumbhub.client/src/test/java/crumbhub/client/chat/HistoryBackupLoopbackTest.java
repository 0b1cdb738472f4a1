package crumbhub.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.ClientException;
import crumbhub.client.backup.BackupWorker;
import crumbhub.client.backup.EngineLink;
import crumbhub.client.backup.HistoryBackup;
import crumbhub.client.e2e.E2eClient;
import crumbhub.client.model.ConnectionState;
import crumbhub.client.model.ConversationId;
import crumbhub.client.model.UiEvent;
import crumbhub.client.model.UserAction;
import crumbhub.server.domain.Quotas;
import crumbhub.testkit.Await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The account history backup (docs/client.md "History backup") against the real server in-process:
 * a chat records and uploads, a device approved later (by the recovery code or by another device)
 * restores the conversation from before it existed, the server's data directory and the new
 * home hold no plaintext, the quota and deletion work.
 */
class HistoryBackupLoopbackTest {
    private static final Pattern RECOVERY = Pattern.compile("(?m)^recovery code: (\\S+)$");
    private static final Pattern APPROVE = Pattern.compile("approve (\\d+) --code (\\S+)");

    @TempDir
    Path tmp;
    private LiveServer server;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final String canary = "canary-" + HexFormat.of().toHexDigits(new java.security.SecureRandom().nextLong());

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private Path home(String name) {
        return tmp.resolve(name);
    }

    /** Registers {@code user}; returns the recovery code it shows. */
    private String register(String user) {
        String out = server.run(home(user), "password of " + user + "\n", "register", server.address(), user,
                "--password-stdin");
        var m = RECOVERY.matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return m.group(1);
    }

    private record Backed(ChatSession chat, BackupWorker worker, RecordingView view, SessionEngine engine) {
        /** As the chat command quits: messages in flight, then the backup uploads, then the session ends. */
        void close() throws Exception {
            engine.drain(Duration.ofSeconds(10)).get();
            worker.close(Duration.ofSeconds(30));
            chat.close(Duration.ofSeconds(1));
        }
    }

    /** A chat wired as {@code crumbhub-client chat} wires it; the backup uploads only at close. */
    private Backed chatWithBackup(String user) {
        var a = new Account(home(user));
        open.add(a);
        var view = new RecordingView();
        var engine = new SessionEngine[1];
        var chat = new ChatSession(a.record.server().key(), a.user(), a.history(), Clock.systemUTC(), a.rng,
                l -> engine[0] = a.engine(l));
        var e2e = E2eClient.create(a.home, a.user(), a.record.deviceId(), a.rng, Clock.systemUTC(), chat::warn);
        var backup = HistoryBackup.open(a.home, e2e, a.record.deviceId(), a.rng, chat::warn);
        var worker = new BackupWorker(backup, new EngineLink(engine[0]), chat::restored, chat::warn, Duration.ofHours(1));
        chat.tap(worker);
        worker.start();
        chat.attach(view);
        return new Backed(chat, worker, view, engine[0]);
    }

    /** alice and bob talk directly in alice's chat; her backup uploads it when the chat closes. */
    private void aliceTalksWithBob() throws Exception {
        var alice = chatWithBackup("alice");
        alice.view().awaitConnected();
        server.run(home("bob"), "", "send", "@alice", "from bob " + canary);
        alice.view().awaitMessage("bob", "from bob " + canary);
        alice.chat().perform(new UserAction.SendText(ConversationId.direct("bob"), "from alice " + canary));
        alice.view().await(UiEvent.MessageDelivered.class, e -> true);
        alice.close();
    }

    private Map<ConversationId, List<String>> history(String user) {
        var a = new Account(home(user));
        try (a; var h = a.history()) {
            var out = new java.util.LinkedHashMap<ConversationId, List<String>>();
            for (var loaded : h.loadAll()) {
                out.put(loaded.conversation(), loaded.records().stream().map(r -> r.from() + ": " + r.text()).toList());
            }
            return out;
        }
    }

    private static List<Path> filesHolding(Path dir, String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).filter(p -> {
                try {
                    byte[] b = Files.readAllBytes(p);
                    outer:
                    for (int i = 0; i + needle.length <= b.length; i++) {
                        for (int j = 0; j < needle.length; j++) {
                            if (b[i + j] != needle[j]) {
                                continue outer;
                            }
                        }
                        return true;
                    }
                    return false;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    private static long streamFiles(Path data) throws IOException {
        Path dir = data.resolve("history-backup");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().endsWith(".hbk")).count();
        }
    }

    @Test
    void aDeviceRecoveredWithTheRecoveryCodeShowsTheEarlierConversationAndNoPlaintextIsStored() throws Exception {
        server = new LiveServer(tmp.resolve("data"));
        String code = register("alice");
        register("bob");
        aliceTalksWithBob();
        assertThat(streamFiles(tmp.resolve("data"))).as("alice's device stream on the server").isEqualTo(1);
        server.stop();
        server.start(); // the backup is durable

        String out = server.run(home("alice-new"), "password of alice\n" + code + "\n", "login", server.address(),
                "alice", "--password-stdin", "--recovery-code-stdin");
        assertThat(out).contains("approved (recovery code)").contains("restored 2 lines of history");
        assertThat(history("alice-new").get(ConversationId.direct("bob")))
                .containsExactly("bob: from bob " + canary, "alice: from alice " + canary);

        assertThat(filesHolding(tmp.resolve("data"), canary)).as("server files holding the text").isEmpty();
        assertThat(filesHolding(home("alice-new"), canary)).as("new home files holding the text").isEmpty();
    }

    /** Logs in a second device of alice and approves it from her first; returns once it holds the account key. */
    private void approvePhone() {
        String login = server.run(home("alice-phone"), "password of alice\n", "login", server.address(), "alice",
                "--password-stdin");
        var m = APPROVE.matcher(login);
        assertThat(m.find()).as(login).isTrue();
        server.run(home("alice"), "", "devices", "approve", m.group(1), "--code", m.group(2));
        Await.until(() -> {
            server.run(home("alice-phone"), "", "listen", "--timeout", "0.5"); // the account key arrives
            return !server.run(home("alice-phone"), "", "backup", "status").contains("not approved");
        }, "the phone gets the account key");
    }

    /**
     * Not only the chat feeds the backup: {@code send} puts its line into the open batch, and
     * {@code listen} seals that batch with what it received and uploads it before it ends; a
     * device approved afterwards restores both.
     */
    @Test
    void whatSendAndListenRecordIsRestoredOnADeviceApprovedLater() throws Exception {
        server = new LiveServer(tmp.resolve("data"));
        register("alice");
        register("bob");
        server.run(home("alice"), "", "send", "@bob", "sent by send " + canary);
        assertThat(streamFiles(tmp.resolve("data"))).as("send leaves its line in the open batch").isZero();
        server.run(home("bob"), "", "send", "@alice", "received by listen " + canary);
        assertThat(server.run(home("alice"), "", "listen", "--count", "1", "--timeout", "30"))
                .contains("received by listen " + canary);
        assertThat(streamFiles(tmp.resolve("data"))).as("listen uploaded the batch before it ended").isEqualTo(1);

        approvePhone();
        assertThat(server.run(home("alice-phone"), "", "backup", "restore")).contains("restored 2 lines");
        assertThat(history("alice-phone").get(ConversationId.direct("bob")))
                .containsExactly("alice: sent by send " + canary, "bob: received by listen " + canary);
        assertThat(filesHolding(tmp.resolve("data"), canary)).as("server files holding the text").isEmpty();
        assertThat(filesHolding(home("alice-phone"), canary)).as("phone files holding the text").isEmpty();
    }

    /** The daemon feeds the backup like the chat: what it sent is uploaded when its input ends. */
    @Test
    void whatTheDaemonRecordsIsRestoredWithTheRecoveryCode() throws Exception {
        server = new LiveServer(tmp.resolve("data"));
        String code = register("alice");
        register("bob");
        String out = server.run(home("alice"), "{\"id\":1,\"op\":\"send\",\"to\":\"@bob\",\"text\":\"from the daemon "
                + canary + "\"}\n", "daemon", "--json");
        assertThat(out).contains("\"id\":1,\"ok\":true");
        assertThat(streamFiles(tmp.resolve("data"))).as("the daemon uploaded before it stopped").isEqualTo(1);

        String login = server.run(home("alice-new"), "password of alice\n" + code + "\n", "login", server.address(),
                "alice", "--password-stdin", "--recovery-code-stdin");
        assertThat(login).contains("restored 1 lines of history");
        assertThat(history("alice-new").get(ConversationId.direct("bob"))).containsExactly("alice: from the daemon "
                + canary);
    }

    @Test
    void aDeviceApprovedByAnotherDeviceRestoresTheBackupAndTheChatShowsIt() throws Exception {
        server = new LiveServer(tmp.resolve("data"));
        register("alice");
        register("bob");
        aliceTalksWithBob();

        String login = server.run(home("alice-phone"), "password of alice\n", "login", server.address(), "alice",
                "--password-stdin");
        var m = APPROVE.matcher(login);
        assertThat(m.find()).as(login).isTrue();
        assertThat(server.run(home("alice-phone"), "", "backup", "status")).contains("not approved yet");
        server.run(home("alice"), "", "devices", "approve", m.group(1), "--code", m.group(2));
        Await.until(() -> {
            server.run(home("alice-phone"), "", "listen", "--timeout", "0.5"); // the account key arrives
            return !server.run(home("alice-phone"), "", "backup", "status").contains("not approved");
        }, "the phone gets the account key");

        var phone = chatWithBackup("alice-phone");
        phone.view().await(UiEvent.HistoryLoaded.class, e -> e.conversation().equals(ConversationId.direct("bob"))
                && e.messages().size() == 2);
        phone.close();
        assertThat(history("alice-phone").get(ConversationId.direct("bob")))
                .containsExactly("bob: from bob " + canary, "alice: from alice " + canary);
        assertThat(filesHolding(home("alice-phone"), canary)).as("phone files holding the text").isEmpty();
    }

    @Test
    void aConversationWithKeepingOffStaysOutOfTheBackup() throws Exception {
        server = new LiveServer(tmp.resolve("data"));
        String code = register("alice");
        register("bob");
        assertThat(server.run(home("alice"), "", "backup", "off", "@bob")).contains("not keeping the history of @bob");
        aliceTalksWithBob();
        String out = server.run(home("alice-new"), "password of alice\n" + code + "\n", "login", server.address(),
                "alice", "--password-stdin", "--recovery-code-stdin");
        assertThat(out).contains("restored 0 lines of history");
        assertThat(history("alice-new")).doesNotContainKey(ConversationId.direct("bob"));
    }

    @Test
    void deletingTheBackupRemovesEveryBatchFromTheServer() throws Exception {
        server = new LiveServer(tmp.resolve("data"));
        String code = register("alice");
        register("bob");
        aliceTalksWithBob();
        assertThat(streamFiles(tmp.resolve("data"))).isEqualTo(1);

        assertThat(server.run(home("alice"), "", "backup", "delete")).contains("deleted the account's history backup");
        assertThat(streamFiles(tmp.resolve("data"))).isZero();
        String out = server.run(home("alice-new"), "password of alice\n" + code + "\n", "login", server.address(),
                "alice", "--password-stdin", "--recovery-code-stdin");
        assertThat(out).contains("restored 0 lines of history");
    }

    @Test
    void aFullBackupIsRefusedWithTheQuotaErrorAndKeepsTheBatchForLater() throws Exception {
        server = new LiveServer(tmp.resolve("data"), b -> b.quotas(Quotas.defaults().withBackupBytes(6_000)));
        register("alice");
        var a = new Account(home("alice"));
        open.add(a);
        var engine = a.engine(new Quiet());
        engine.start();
        open.add(engine::close);
        var e2e = E2eClient.create(a.home, a.user(), a.record.deviceId(), a.rng, Clock.systemUTC(), w -> { });
        var backup = HistoryBackup.open(a.home, e2e, a.record.deviceId(), a.rng, w -> { });
        var link = new EngineLink(engine);
        var line = new HistoryRecord(HistoryRecord.Kind.TEXT, "id-1", "alice", 1, Instant.now(), "first", false);

        backup.recorded(ConversationId.room("general"), List.of(line));
        backup.flush();
        assertThat(backup.upload(link).batches()).isEqualTo(1);

        backup.recorded(ConversationId.room("general"), List.of(new HistoryRecord(HistoryRecord.Kind.TEXT, "id-2",
                "alice", 2, Instant.now(), "second", false)));
        backup.flush();
        var refused = backup.upload(link);
        assertThat(refused.batches()).isZero();
        assertThat(refused.problem()).get().asString().contains("history backup is full")
                .contains("backup delete").contains("quota.backup.bytes");
        assertThat(backup.hasWork()).as("the refused batch waits in the outbox").isTrue();
    }

    @Test
    void batchesSealedWhileTheServerIsDownAreUploadedOnceItIsBack() throws Exception {
        server = new LiveServer(tmp.resolve("data"));
        String code = register("alice");
        var a = new Account(home("alice"));
        open.add(a);
        var engine = a.engine(new Quiet());
        engine.start();
        open.add(engine::close);
        var e2e = E2eClient.create(a.home, a.user(), a.record.deviceId(), a.rng, Clock.systemUTC(), w -> { });
        var backup = HistoryBackup.open(a.home, e2e, a.record.deviceId(), a.rng, w -> { });
        var link = new EngineLink(engine);
        server.stop();
        backup.recorded(ConversationId.room("general"), List.of(new HistoryRecord(HistoryRecord.Kind.TEXT, "id-1",
                "alice", 1, Instant.now(), "while the server was down", false)));
        var offline = backup.syncNow(link);
        assertThat(offline.batches()).isZero();
        assertThat(offline.problem()).get().asString().contains("waits for the server");
        assertThat(backup.hasWork()).isTrue();

        server.start();
        Await.until(() -> backup.syncNow(link).batches() == 1, "the upload once the server is back");
        assertThat(backup.hasWork()).isFalse();
        assertThat(backup.syncNow(link).batches()).as("nothing uploaded twice").isZero();
        String out = server.run(home("alice-new"), "password of alice\n" + code + "\n", "login", server.address(),
                "alice", "--password-stdin", "--recovery-code-stdin");
        assertThat(out).contains("restored 1 lines of history (1 batches)");
    }

    @Test
    void turningKeepingOffDropsTheConversationsLinesThatAreNotSealedYet() throws Exception {
        server = new LiveServer(tmp.resolve("data"));
        register("alice");
        var a = new Account(home("alice"));
        open.add(a);
        var e2e = E2eClient.create(a.home, a.user(), a.record.deviceId(), a.rng, Clock.systemUTC(), w -> { });
        var backup = HistoryBackup.open(a.home, e2e, a.record.deviceId(), a.rng, w -> { });
        backup.recorded(ConversationId.direct("bob"), List.of(new HistoryRecord(HistoryRecord.Kind.TEXT, "id-1",
                "bob", 1, Instant.now(), "said before keeping was turned off", false)));
        assertThat(backup.hasWork()).isTrue();
        backup.keep(java.util.Optional.of(ConversationId.direct("bob")), false);
        backup.flush();
        assertThat(backup.hasWork()).as("nothing of @bob left to seal or upload").isFalse();
    }

    /** An engine listener for tests that only need requests. */
    private static final class Quiet implements SessionEngine.Listener {
        @Override
        public void connectionChanged(ConnectionState state) { }

        @Override
        public void received(List<IncomingMessage> batch) { }

        @Override
        public void sent(OutgoingMessage message, long seq, Instant time) { }

        @Override
        public void notSent(OutgoingMessage message, Failure why) { }

        @Override
        public void stopped(ClientException why) { }
    }
}
