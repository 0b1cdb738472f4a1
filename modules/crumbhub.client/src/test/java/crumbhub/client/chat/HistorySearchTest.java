package crumbhub.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.model.ConversationId;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Search over the encrypted index, paging back through a conversation, and several writers on one history. */
class HistorySearchTest {
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

    private static HistoryRecord line(int n, String from, String text) {
        return new HistoryRecord(HistoryRecord.Kind.TEXT, String.format("%032x", n), from, n, T0.plusSeconds(n), text,
                false, 7, T0.plusSeconds(n + 1));
    }

    private static List<String> texts(List<HistoryStore.Found> found) {
        return found.stream().map(f -> f.conversation().label() + " " + f.record().text()).toList();
    }

    @Test
    void findsSubstringsIgnoringCaseInEveryConversationOrInOne() {
        try (var store = open(1000)) {
            store.append(GENERAL, List.of(line(1, "bob", "The Quarterly Report is late"),
                    line(2, "carol", "lunch?"), line(4, "bob", "REPORTING from the field")));
            store.append(BOB, List.of(line(3, "bob", "did you read my report?")));
            assertThat(texts(store.search("report", Optional.empty(), 50))).containsExactly(
                    "#general The Quarterly Report is late", "@bob did you read my report?",
                    "#general REPORTING from the field");
            assertThat(texts(store.search("EPOR", Optional.of(BOB), 50))).containsExactly("@bob did you read my report?");
            assertThat(texts(store.search("rterly rep", Optional.empty(), 50)))
                    .containsExactly("#general The Quarterly Report is late");
            assertThat(texts(store.search("h?", Optional.empty(), 50))).containsExactly("#general lunch?");
            assertThat(store.search("reports", Optional.empty(), 50)).isEmpty();
            assertThat(store.search("report", Optional.of(ConversationId.direct("nobody")), 50)).isEmpty();
            // the newest two, in time order
            assertThat(texts(store.search("report", Optional.empty(), 2))).containsExactly(
                    "@bob did you read my report?", "#general REPORTING from the field");
        }
    }

    /**
     * Thousands of messages written out of time order in several catch-ups (so segments are merged
     * and span many entry and token blocks): every search finds what reading every message finds,
     * and a limited one the newest of them.
     */
    @Test
    void aSearchOverManyIndexBlocksFindsWhatReadingEveryMessageFinds() {
        var random = new java.util.Random(15);
        var words = new ArrayList<String>();
        for (int w = 0; w < 400; w++) {
            var b = new StringBuilder();
            for (int k = 0; k < 4 + random.nextInt(5); k++) {
                b.append((char) ('a' + random.nextInt(26)));
            }
            words.add(b.toString());
        }
        int messages = 6000;
        var times = new ArrayList<Integer>();
        for (int i = 1; i <= messages; i++) {
            times.add(i);
        }
        java.util.Collections.shuffle(times, random);
        var all = new ArrayList<String>();
        var convs = List.of(GENERAL, BOB, ConversationId.room("ops"));
        try (var store = open(100_000)) {
            for (int i = 1; i <= messages; i++) {
                var text = new StringBuilder();
                for (int w = 0; w < 3 + random.nextInt(6); w++) {
                    text.append(w == 0 ? "" : " ").append(words.get(random.nextInt(words.size())));
                }
                var conv = convs.get(random.nextInt(convs.size()));
                var r = new HistoryRecord(HistoryRecord.Kind.TEXT, String.format("%032x", i), "bob", i,
                        T0.plusSeconds(times.get(i - 1)), text.toString(), false, 7, T0);
                store.append(conv, List.of(r));
                all.add(String.format("%08d %s %s", times.get(i - 1), conv.label(), text));
                if (i % 700 == 0) {
                    store.updateIndex(); // a segment per catch-up: small ones are merged
                }
            }
            java.util.Collections.sort(all);
            for (String q : List.of(words.get(0), words.get(7), words.get(399).substring(1, 4), "zzzqqq",
                    words.get(3) + " " + words.get(5))) {
                List<String> expected = all.stream().filter(l -> l.substring(l.indexOf(" ", 9) + 1).contains(q))
                        .toList();
                List<String> found = store.search(q, Optional.empty(), 100_000).stream()
                        .map(f -> String.format("%08d %s %s", f.record().time().getEpochSecond() - T0.getEpochSecond(),
                                f.conversation().label(), f.record().text())).toList();
                assertThat(found).as(q).containsExactlyElementsOf(expected);
                List<String> newest = store.search(q, Optional.empty(), 20).stream()
                        .map(f -> String.format("%08d", f.record().time().getEpochSecond() - T0.getEpochSecond()))
                        .toList();
                assertThat(newest).as(q).containsExactlyElementsOf(expected.subList(Math.max(0, expected.size() - 20),
                        expected.size()).stream().map(l -> l.substring(0, 8)).toList());
            }
        }
    }

    @Test
    void messagesWrittenAfterASearchAreFoundByTheNextAndBySomeoneElsesStore() {
        try (var chat = open(1000); var send = open(1000)) {
            chat.append(GENERAL, List.of(line(1, "bob", "first banana")));
            assertThat(chat.search("banana", Optional.empty(), 50)).hasSize(1);
            send.append(GENERAL, List.of(line(2, "alice", "second banana")));
            chat.append(GENERAL, List.of(line(3, "bob", "third banana")));
            assertThat(texts(chat.search("banana", Optional.empty(), 50))).containsExactly(
                    "#general first banana", "#general second banana", "#general third banana");
        }
        try (var again = open(1000)) {
            assertThat(again.search("BANANA", Optional.empty(), 50)).hasSize(3);
            assertThat(again.page(GENERAL, Long.MAX_VALUE, 10, r -> true).records()).extracting(HistoryRecord::seq)
                    .containsExactly(1L, 2L, 3L);
        }
    }

    /** Two processes appending to one conversation (send beside a running chat): before the lock, one cut the other's lines. */
    @Test
    void twoWritersOfOneConversationKeepEachOthersLines() {
        try (var chat = open(1000); var send = open(1000)) {
            for (int i = 0; i < 20; i += 2) {
                chat.append(GENERAL, List.of(line(i + 1, "bob", "from chat " + i)));
                send.append(GENERAL, List.of(line(i + 2, "alice", "from send " + i)));
            }
        }
        try (var store = open(1000)) {
            var page = store.page(GENERAL, Long.MAX_VALUE, 100, r -> true);
            assertThat(page.damage()).isEmpty();
            assertThat(page.records()).hasSize(20);
            assertThat(store.loadAll().getFirst().records()).hasSize(20);
        }
    }

    @Test
    void aSentMessageIsFoundOnceAndOneNotSentIsNotFound() {
        try (var store = open(1000)) {
            var pending = new HistoryRecord(HistoryRecord.Kind.TEXT, "a".repeat(32), "alice", 0, T0, "pineapple pie",
                    true);
            store.append(GENERAL, List.of(pending));
            assertThat(store.search("pineapple", Optional.empty(), 50)).isEmpty();
            store.append(GENERAL, List.of(pending.sent(9, T0.plusSeconds(1))));
            assertThat(store.search("pineapple", Optional.empty(), 50)).singleElement()
                    .satisfies(f -> assertThat(f.record().seq()).isEqualTo(9));
            var failed = new HistoryRecord(HistoryRecord.Kind.TEXT, "b".repeat(32), "alice", 0, T0, "pineapple cake",
                    true);
            store.append(GENERAL, List.of(failed, new HistoryRecord(HistoryRecord.Kind.ERROR, "b".repeat(32), "alice", 0,
                    T0, "not sent (offline): pineapple cake", false)));
            assertThat(texts(store.search("pineapple", Optional.empty(), 50))).containsExactly("#general pineapple pie");
        }
    }

    @Test
    void pagesGoBackThroughTheWholeConversation() {
        try (var store = open(100_000)) {
            var lines = new ArrayList<HistoryRecord>();
            for (int i = 1; i <= 250; i++) {
                lines.add(line(i, "bob", "line " + i));
            }
            store.append(BOB, lines);
            var newest = store.page(BOB, Long.MAX_VALUE, 100, r -> true);
            assertThat(newest.records()).extracting(HistoryRecord::seq).startsWith(151L).endsWith(250L).hasSize(100);
            var older = store.page(BOB, newest.before(), 100, r -> true);
            assertThat(older.records()).extracting(HistoryRecord::seq).startsWith(51L).endsWith(150L);
            var oldest = store.page(BOB, older.before(), 100, r -> true);
            assertThat(oldest.records()).extracting(HistoryRecord::seq).startsWith(1L).endsWith(50L);
            assertThat(oldest.hasOlder()).isFalse();
        }
    }

    @Test
    void aCompactedFileIsIndexedAgain() {
        try (var store = open(10)) {
            for (int i = 1; i <= 30; i++) {
                store.append(GENERAL, List.of(line(i, "bob", "melon " + i)));
                if (i == 5) {
                    assertThat(store.search("melon", Optional.empty(), 100)).hasSize(5);
                }
            }
            // compaction kept the newest lines and rewrote the file: the index follows it
            var found = store.search("melon", Optional.empty(), 100);
            assertThat(found).extracting(f -> f.record().seq()).doesNotHaveDuplicates().contains(30L);
            assertThat(found).allSatisfy(f -> assertThat(f.record().text()).isEqualTo("melon " + f.record().seq()));
        }
    }

    /** A thief with the files alters an index segment: the search rebuilds the index, it neither fails nor misses. */
    @Test
    void aDamagedIndexSegmentIsRebuiltFromTheHistory() throws IOException {
        try (var store = open(1000)) {
            for (int i = 1; i <= 30; i++) {
                store.append(i % 2 == 0 ? GENERAL : BOB, List.of(line(i, "bob", "kiwi " + i)));
            }
            assertThat(store.search("kiwi", Optional.empty(), 100)).hasSize(30);
        }
        List<Path> segments;
        try (Stream<Path> s = Files.walk(dir)) {
            segments = s.filter(p -> p.getFileName().toString().startsWith("seg-")).toList();
        }
        assertThat(segments).isNotEmpty();
        for (Path p : segments) {
            byte[] b = Files.readAllBytes(p);
            b[b.length / 2] ^= 1;
            Files.write(p, b);
        }
        try (var store = open(1000)) {
            assertThat(store.search("KIWI", Optional.empty(), 100)).hasSize(30);
            assertThat(store.search("kiwi 7", Optional.of(BOB), 100)).hasSize(1);
        }
    }

    /**
     * A thief with the files puts one index segment in place of another (its blocks are sealed, but
     * under the same key): the segment's name is bound to its blocks, so the search notices,
     * rebuilds, and still finds the messages the replaced segment indexed.
     */
    @Test
    void aSegmentCopiedOverAnotherIsNoticedAndRebuilt() throws IOException {
        try (var store = open(1000)) {
            for (int i = 1; i <= 20; i++) {
                store.append(GENERAL, List.of(line(i, "bob", "apple " + i)));
            }
            assertThat(store.search("apple", Optional.empty(), 100)).hasSize(20);
            for (int i = 21; i <= 40; i++) {
                store.append(BOB, List.of(line(i, "bob", "grape " + i)));
            }
            assertThat(store.search("grape", Optional.empty(), 100)).hasSize(20);
        }
        List<Path> segments;
        try (Stream<Path> s = Files.walk(dir)) {
            segments = s.filter(p -> p.getFileName().toString().startsWith("seg-")).sorted().toList();
        }
        assertThat(segments).hasSize(2);
        Files.copy(segments.get(0), segments.get(1), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (var store = open(1000)) {
            assertThat(store.search("grape", Optional.empty(), 100)).hasSize(20);
            assertThat(store.search("apple", Optional.empty(), 100)).hasSize(20);
        }
    }

    @Test
    void versionOneRecordsStillDecode() throws IOException {
        var bytes = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeByte(0);
            out.writeByte(0);
            out.writeLong(5);
            out.writeLong(T0.toEpochMilli());
            out.writeShort(2);
            out.writeBytes("id");
            out.writeShort(3);
            out.writeBytes("bob");
            out.writeInt(2);
            out.writeBytes("hi");
        }
        var r = HistoryRecord.decode(bytes.toByteArray());
        assertThat(r).isEqualTo(new HistoryRecord(HistoryRecord.Kind.TEXT, "id", "bob", 5, T0, "hi", false));
        assertThat(HistoryRecord.decode(line(3, "bob", "x").encode())).isEqualTo(line(3, "bob", "x"));
    }

    /** Canary: after writing and searching, no file holds a word, a trigram, or an unkeyed hash of either. */
    @Test
    void theHistoryAndTheIndexHoldNoPlaintext() throws Exception {
        String canary = "Xylophonistically";
        try (var store = open(1000)) {
            for (int i = 1; i <= 200; i++) {
                store.append(i % 2 == 0 ? GENERAL : BOB, List.of(line(i, "bob", "say " + canary + " number " + i)));
            }
            assertThat(store.search(canary.toLowerCase(), Optional.empty(), 500)).hasSize(200);
            assertThat(store.search("phonist", Optional.of(GENERAL), 500)).hasSize(100);
        }
        var needles = new ArrayList<byte[]>();
        for (String word : List.of(canary, canary.toLowerCase(), "phonist", "xylophonistically")) {
            needles.add(word.getBytes(StandardCharsets.UTF_8));
            needles.add(word.getBytes(StandardCharsets.UTF_16BE));
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(word.getBytes(StandardCharsets.UTF_8));
            needles.add(java.util.Arrays.copyOf(sha, 8));
        }
        for (String trigram : List.of("xyl", "ylo", "phon", "ist")) {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(trigram.getBytes(StandardCharsets.UTF_8));
            needles.add(java.util.Arrays.copyOf(sha, 4));
            needles.add(trigram.getBytes(StandardCharsets.UTF_8));
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        assertThat(files).anyMatch(p -> p.getParent().getFileName().toString().equals(SearchIndex.DIR));
        for (Path p : files) {
            byte[] content = Files.readAllBytes(p);
            for (byte[] needle : needles) {
                assertThat(indexOf(content, needle)).as(p + " holds " + new String(needle, StandardCharsets.ISO_8859_1))
                        .isEqualTo(-1);
            }
        }
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
