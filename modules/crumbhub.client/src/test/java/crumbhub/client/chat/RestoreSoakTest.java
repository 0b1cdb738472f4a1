package crumbhub.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.ClientException;
import crumbhub.client.backup.EngineLink;
import crumbhub.client.backup.HistoryBackup;
import crumbhub.client.e2e.E2eClient;
import crumbhub.client.model.ConnectionState;
import crumbhub.client.model.ConversationId;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restore figure of docs/benchmarks.md ("History backup restore"), a measurement and not a
 * timed test (it asserts only that everything came back): one device backs up 100,000 lines of
 * history in 20 conversations to the real server in-process on 127.0.0.1, then a new device logs
 * in with the recovery code, which restores them all. Prints how long each part took.
 *
 * <pre>
 *   mvn -B verify -Psoak -pl modules/crumbhub.client -am -Dtest=RestoreSoakTest -Dsurefire.failIfNoSpecifiedTests=false
 *   (the figures are in modules/crumbhub.client/target/surefire-reports/crumbhub.client.chat.RestoreSoakTest-output.txt)
 * </pre>
 */
@EnabledIfSystemProperty(named = "crumbhub.soak", matches = "true",
        disabledReason = "a measurement of a few seconds; run with -Psoak")
class RestoreSoakTest {
    private static final Pattern RECOVERY = Pattern.compile("(?m)^recovery code: (\\S+)$");
    private static final int LINES = Integer.getInteger("crumbhub.restore.lines", 100_000);
    private static final int CONVERSATIONS = 20;
    private static final long SEED = 20261207L;

    @TempDir
    Path tmp;

    @Test
    void aNewDeviceRestoresAHundredThousandLines() throws Exception {
        System.out.printf(Locale.ROOT, "restore soak: %,d lines in %d conversations, seed %d%n", LINES, CONVERSATIONS,
                SEED);
        try (var server = new LiveServer(tmp.resolve("data"))) {
            String out = server.run(tmp.resolve("alice"), "password of alice\n", "register", server.address(), "alice",
                    "--password-stdin");
            var m = RECOVERY.matcher(out);
            assertThat(m.find()).as(out).isTrue();
            String code = m.group(1);

            long t = System.nanoTime();
            server.run(tmp.resolve("alice-empty"), "password of alice\n" + code + "\n", "login", server.address(),
                    "alice", "--password-stdin", "--recovery-code-stdin");
            System.out.printf(Locale.ROOT, "login with the recovery code, nothing to restore: %.2f s%n", seconds(t));

            try (var a = new Account(tmp.resolve("alice"))) {
                var engine = a.engine(new Quiet());
                engine.start();
                try {
                    var e2e = E2eClient.create(a.home, a.user(), a.record.deviceId(), a.rng, Clock.systemUTC(), w -> { });
                    var backup = HistoryBackup.open(a.home, e2e, a.record.deviceId(), a.rng, w -> { });
                    t = System.nanoTime();
                    record(backup);
                    backup.flush();
                    System.out.printf(Locale.ROOT, "recorded and sealed %,d lines: %.2f s%n", LINES, seconds(t));
                    t = System.nanoTime();
                    var up = backup.upload(new EngineLink(engine));
                    assertThat(up.problem()).isEmpty();
                    System.out.printf(Locale.ROOT, "uploaded %d batches: %.2f s%n", up.batches(), seconds(t));
                    backup.close();
                } finally {
                    engine.close();
                }
            }

            t = System.nanoTime();
            String login = server.run(tmp.resolve("alice-new"), "password of alice\n" + code + "\n", "login",
                    server.address(), "alice", "--password-stdin", "--recovery-code-stdin");
            double restore = seconds(t);
            assertThat(login).contains("restored " + LINES + " lines of history");
            System.out.printf(Locale.ROOT, "login with the recovery code, restoring %,d lines: %.2f s%n", LINES, restore);

            t = System.nanoTime();
            int lines = 0;
            try (var a = new Account(tmp.resolve("alice-new")); var h = a.history()) {
                for (var loaded : h.loadAll()) {
                    lines += loaded.records().size();
                }
            }
            assertThat(lines).isEqualTo(LINES);
            System.out.printf(Locale.ROOT, "read the restored history back (%,d lines): %.2f s%n", lines, seconds(t));
        }
    }

    /** LINES lines of 3-14 made-up words, in batches as a busy chat records them. */
    private static void record(HistoryBackup backup) {
        var random = new Random(SEED);
        var id = new byte[16];
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        var pending = new ArrayList<List<HistoryRecord>>();
        for (int c = 0; c < CONVERSATIONS; c++) {
            pending.add(new ArrayList<>());
        }
        for (int i = 0; i < LINES; i++) {
            int c = random.nextInt(CONVERSATIONS);
            var text = new StringBuilder();
            for (int w = 0; w < 3 + random.nextInt(12); w++) {
                text.append(w == 0 ? "" : " ").append(Integer.toString(random.nextInt(5000), 36)).append("ela");
            }
            random.nextBytes(id);
            Instant time = t0.plusSeconds(i * 3L);
            pending.get(c).add(new HistoryRecord(HistoryRecord.Kind.TEXT, HexFormat.of().formatHex(id),
                    random.nextBoolean() ? "alice" : "peer" + c, i + 1L, time, text.toString(), false, 1, time));
            if (pending.get(c).size() == 100) {
                backup.recorded(conversation(c), pending.get(c));
                pending.get(c).clear();
            }
        }
        for (int c = 0; c < CONVERSATIONS; c++) {
            backup.recorded(conversation(c), pending.get(c));
        }
    }

    private static ConversationId conversation(int c) {
        return c < 5 ? ConversationId.room("room" + c) : ConversationId.direct("peer" + c);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

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
