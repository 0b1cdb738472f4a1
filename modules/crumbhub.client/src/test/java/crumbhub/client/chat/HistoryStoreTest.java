package crumbhub.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.model.ConversationId;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryStoreTest {
    private static final String ACCOUNT = "chat.example.org:5555 alice";
    private static final ConversationId GENERAL = ConversationId.room("general");
    private static final ConversationId BOB = ConversationId.direct("bob");
    private static final Instant T0 = Instant.parse("2026-11-26T09:00:00Z");

    @TempDir
    Path dir;
    private final SecureRandom rng = new SecureRandom();
    private final byte[] key = new byte[32];

    private HistoryStore open(int limit) {
        return HistoryStore.open(dir, key.clone(), ACCOUNT, rng, limit);
    }

    private static HistoryRecord text(int n, String from) {
        return new HistoryRecord(HistoryRecord.Kind.TEXT, String.format("%032x", n), from, n, T0.plusSeconds(n),
                "message " + n + " ☃ 😀", false);
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".hist")).toList();
        }
    }

    @Test
    void linesComeBackPerConversationInTimeOrder() {
        try (var store = open(100)) {
            store.append(GENERAL, List.of(text(2, "bob"), text(1, "carol")));
            store.append(BOB, List.of(text(3, "bob")));
            store.append(GENERAL, List.of(text(4, "alice")));
        }
        try (var store = open(100)) {
            var loaded = store.loadAll();
            assertThat(loaded).extracting(HistoryStore.Loaded::conversation).containsExactlyInAnyOrder(GENERAL, BOB);
            var general = loaded.stream().filter(l -> l.conversation().equals(GENERAL)).findFirst().orElseThrow();
            assertThat(general.records()).extracting(HistoryRecord::seq).containsExactly(1L, 2L, 4L);
            assertThat(general.records().getFirst()).isEqualTo(text(1, "carol"));
            assertThat(general.damage()).isEmpty();
        }
    }

    @Test
    void aLaterRecordWithTheSameIdReplacesThePendingOne() {
        var pending = new HistoryRecord(HistoryRecord.Kind.TEXT, "ab".repeat(16), "alice", 0, T0, "see you", true);
        try (var store = open(100)) {
            store.append(GENERAL, List.of(pending));
            store.append(GENERAL, List.of(text(5, "bob")));
            store.append(GENERAL, List.of(pending.sent(7, T0.plusSeconds(1))));
        }
        try (var store = open(100)) {
            var records = store.loadAll().getFirst().records();
            assertThat(records).hasSize(2);
            assertThat(records.getFirst().pending()).isFalse();
            assertThat(records.getFirst().seq()).isEqualTo(7);
        }
    }

    @Test
    void aConversationKeepsOnlyItsNewestLinesAndTheFileStaysBounded() throws IOException {
        try (var store = open(50)) {
            for (int i = 1; i <= 200; i++) {
                store.append(GENERAL, List.of(text(i, "bob")));
            }
        }
        try (var store = open(50)) {
            var records = store.loadAll().getFirst().records();
            assertThat(records).hasSize(50);
            assertThat(records.getFirst().seq()).isEqualTo(151);
            assertThat(records.getLast().seq()).isEqualTo(200);
        }
        long size = Files.size(files().getFirst());
        // a record here is about 121 bytes (version 2: 12 more than version 1 for device and receipt time)
        assertThat(size).as("at most limit + limit/5 records on disk").isLessThan(60 * 125);
    }

    @Test
    void filesAreEncryptedPrivateAndNamedWithoutTheConversation() throws IOException {
        try (var store = open(10)) {
            store.append(GENERAL, List.of(text(1, "bob")));
        }
        Path file = files().getFirst();
        String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertThat(bytes).doesNotContain("message").doesNotContain("bob").doesNotContain("general");
        assertThat(dir.relativize(file).toString()).doesNotContain("general").doesNotContain("alice")
                .matches("[0-9a-f]{32}/[0-9a-f]{32}\\.hist");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    }

    @Test
    void aTornLastRecordIsDroppedAndAppendingGoesOn() throws IOException {
        try (var store = open(100)) {
            store.append(GENERAL, List.of(text(1, "bob"), text(2, "bob")));
        }
        Path file = files().getFirst();
        byte[] all = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(all, all.length - 5)); // a crash in the middle of the last append
        try (var store = open(100)) {
            var loaded = store.loadAll().getFirst();
            assertThat(loaded.records()).extracting(HistoryRecord::seq).containsExactly(1L);
            assertThat(loaded.damage()).isEmpty();
            store.append(GENERAL, List.of(text(3, "bob")));
        }
        try (var store = open(100)) {
            assertThat(store.loadAll().getFirst().records()).extracting(HistoryRecord::seq).containsExactly(1L, 3L);
        }
    }

    @Test
    void anAlteredRecordEndsTheReadableHistoryAndIsReported() throws IOException {
        try (var store = open(100)) {
            store.append(GENERAL, List.of(text(1, "bob"), text(2, "bob"), text(3, "bob")));
        }
        Path file = files().getFirst();
        byte[] all = Files.readAllBytes(file);
        all[all.length - 10] ^= 1;
        Files.write(file, all, StandardOpenOption.TRUNCATE_EXISTING);
        try (var store = open(100)) {
            var loaded = store.loadAll().getFirst();
            assertThat(loaded.records()).extracting(HistoryRecord::seq).containsExactly(1L, 2L);
            assertThat(loaded.damage()).hasValueSatisfying(d -> assertThat(d).contains("integrity"));
        }
    }

    @Test
    void recordsCannotBeReorderedOrMovedToAnotherConversation() throws IOException {
        try (var store = open(100)) {
            store.append(GENERAL, List.of(text(1, "bob")));
            store.append(BOB, List.of(text(2, "bob")));
        }
        var paths = new ArrayList<>(files());
        // the direct conversation's file copied over the room's: its header names another conversation
        Files.copy(paths.get(0), paths.get(1), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (var store = open(100)) {
            assertThat(store.loadAll()).hasSize(1);
        }
    }

    @Test
    void anotherKeyOrAccountSeesNothing() {
        try (var store = open(100)) {
            store.append(GENERAL, List.of(text(1, "bob")));
        }
        var otherKey = new byte[32];
        otherKey[0] = 1;
        try (var other = HistoryStore.open(dir, otherKey, ACCOUNT, rng, 100)) {
            assertThat(other.loadAll()).isEmpty();
        }
        try (var other = HistoryStore.open(dir, key.clone(), "chat.example.org:5555 mallory", rng, 100)) {
            assertThat(other.loadAll()).isEmpty();
        }
    }

    @Test
    void aLeftRoomIsMarked() {
        try (var store = open(100)) {
            store.append(GENERAL, List.of(text(1, "bob"),
                    new HistoryRecord(HistoryRecord.Kind.LEFT, "n-1", "", 0, T0.plusSeconds(5), "you left #general", false)));
        }
        try (var store = open(100)) {
            assertThat(store.loadAll().getFirst().left()).isTrue();
        }
    }

    @Test
    void recordsRoundTripEveryField() {
        var r = new HistoryRecord(HistoryRecord.Kind.ACTION, "id", "alice", -1L, T0, "x\u0000y", true);
        assertThat(HistoryRecord.decode(r.encode())).isEqualTo(r);
        assertThat(r.toString()).doesNotContain("x\u0000y");
    }
}
