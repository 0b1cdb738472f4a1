package crumbhub.bench;

import crumbhub.client.chat.HistoryRecord;
import crumbhub.client.chat.HistoryStore;
import crumbhub.client.home.Home;
import crumbhub.client.home.SessionRecord;
import crumbhub.client.model.ConversationId;
import crumbhub.client.net.ServerAddress;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The local history search benchmark of docs/benchmarks.md ("Search"), not a test; run by hand:
 *
 * <pre>
 *   java -cp CLASSPATH crumbhub.bench.SearchBench [--messages N] [--dir DIR] [--client bin/crumbhub-client] [--reuse]
 * </pre>
 *
 * Writes N messages (default 1,000,000; fixed seed, printed) into the encrypted history of a
 * made-up account in a fresh home, in 50 conversations, and the same messages as a plaintext log;
 * builds the search index; then times, for words from rare to common: the in-process
 * {@link HistoryStore#search} (newest 50 matches) on an open store, the same on a store opened
 * for the search, the whole {@code search} command as a process, and {@code grep -c WORD} over
 * the plaintext log. Reports p50/p90 of each, the match counts, and the disk use of history,
 * index and log. {@code --reuse} times the queries again on the history a previous run left in DIR.
 */
public final class SearchBench {
    private static final long SEED = 20261207L;
    private static final int CONVERSATIONS = 50;
    private static final int RUNS = 21;
    private static final int PROCESS_RUNS = 7;
    private static final String USER = "bench";

    private SearchBench() {
    }

    public static void main(String[] args) throws Exception {
        int messages = 1_000_000;
        Path dir = null;
        String client = null;
        boolean reuse = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--messages" -> messages = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                case "--client" -> client = args[++i];
                case "--reuse" -> reuse = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (dir == null) {
            dir = Files.createTempDirectory("crumbhub-search-bench");
        }
        System.out.printf(Locale.ROOT, "search bench: %,d messages in %d conversations, seed %d, dir %s%n",
                messages, CONVERSATIONS, SEED, dir);
        Path homeDir = dir.resolve("home");
        var rng = new SecureRandom();
        var server = new ServerAddress("bench.invalid", 5555);
        var words = vocabulary();
        Path log = dir.resolve("plain.log");
        if (!reuse) {
            build(homeDir, log, server, rng, words, messages);
        }
        query(homeDir, log, server, rng, words, client);
    }

    /** Writes the history and the plaintext log, builds the index, reports the disk use. */
    private static void build(Path homeDir, Path log, ServerAddress server, SecureRandom rng, List<String> words,
                              int messages) throws IOException {
        try (var home = Home.open(homeDir, prompt -> null, rng, 1000)) {
            home.saveSession(new SessionRecord(server, new byte[32], USER, 1, new byte[32]));
        }
        long start = System.nanoTime();
        try (var store = open(homeDir, server, rng); BufferedWriter out = Files.newBufferedWriter(log)) {
            write(store, out, words, messages);
            System.out.printf(Locale.ROOT, "wrote the history in %.1f s%n", seconds(start));
            start = System.nanoTime();
            store.updateIndex();
            System.out.printf(Locale.ROOT, "built the index in %.1f s%n", seconds(start));
            long[] disk = store.diskBytes();
            System.out.printf(Locale.ROOT, "disk: history %,d bytes, index %,d bytes (%.1f%% of the history),"
                    + " plaintext log %,d bytes%n", disk[0], disk[1], 100.0 * disk[1] / disk[0], Files.size(log));
        }
    }

    /** Times each query in-process, opened and searched, as a command, and with grep. */
    private static void query(Path homeDir, Path log, ServerAddress server, SecureRandom rng, List<String> words,
                              String client) throws IOException, InterruptedException {
        long[] jvm = new long[PROCESS_RUNS];
        for (int r = 0; r < PROCESS_RUNS; r++) {
            jvm[r] = timeProcess(helpLine(client));
        }
        System.out.printf(Locale.ROOT, "the client's --help as a process (JVM start): p50 %.0f ms%n", ms(p(jvm, 50)));
        String part = words.stream().filter(w -> w.length() >= 8).findFirst().orElseThrow().substring(2, 6);
        String[] queries = {words.get(0), words.get(40), words.get(400), words.get(words.size() - 1), "zebracorn",
                part};
        System.out.println("query        matches   grep-c   in-process p50/p90 ms   opened+search p50 ms"
                + "   command p50/p90 ms   grep -c p50/p90 ms");
        try (var store = open(homeDir, server, rng)) {
            long start = System.nanoTime();
            store.updateIndex();
            long[] disk = store.diskBytes();
            System.out.printf(Locale.ROOT, "index brought up to date in %.1f s; disk: history %,d bytes, index %,d bytes"
                    + " (%.1f%% of the history)%n", seconds(start), disk[0], disk[1], 100.0 * disk[1] / disk[0]);
            for (String q : queries) {
                int all = store.search(q, Optional.empty(), 1_000_000).size();
                long[] warm = new long[RUNS];
                for (int r = 0; r < RUNS; r++) {
                    long t = System.nanoTime();
                    store.search(q, Optional.empty(), HistoryStore.DEFAULT_SEARCH_LIMIT);
                    warm[r] = System.nanoTime() - t;
                }
                long[] cold = new long[PROCESS_RUNS];
                for (int r = 0; r < PROCESS_RUNS; r++) {
                    long t = System.nanoTime();
                    try (var fresh = open(homeDir, server, rng)) {
                        fresh.search(q, Optional.empty(), HistoryStore.DEFAULT_SEARCH_LIMIT);
                    }
                    cold[r] = System.nanoTime() - t;
                }
                long[] command = new long[PROCESS_RUNS];
                for (int r = 0; r < PROCESS_RUNS; r++) {
                    command[r] = timeProcess(commandLine(client, homeDir, q));
                }
                long[] grep = new long[PROCESS_RUNS];
                for (int r = 0; r < PROCESS_RUNS; r++) {
                    grep[r] = timeProcess(List.of("grep", "-c", "-i", "-F", q, log.toString()));
                }
                String grepCount = grepCount(q, log);
                System.out.printf(Locale.ROOT, "%-12s %7d %8s   %8.1f / %-8.1f     %8.1f              %6.0f / %-6.0f"
                                + "       %6.0f / %-6.0f%n", q, all, grepCount, ms(p(warm, 50)), ms(p(warm, 90)),
                        ms(p(cold, 50)), ms(p(command, 50)), ms(p(command, 90)), ms(p(grep, 50)), ms(p(grep, 90)));
            }
        }
    }

    private static HistoryStore open(Path homeDir, ServerAddress server, SecureRandom rng) {
        try (var home = Home.open(homeDir, prompt -> null, rng, 1000)) {
            byte[] key = home.historyKey();
            try {
                return HistoryStore.open(home.historyDir(), key, server.key() + " " + USER, rng,
                        HistoryStore.DEFAULT_LIMIT);
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        }
    }

    /** Messages of 3–14 words drawn with a Zipf skew; one in 50,000 carries "zebracorn". */
    private static void write(HistoryStore store, BufferedWriter log, List<String> words, int messages)
            throws IOException {
        var random = new Random(SEED);
        var convs = new ArrayList<ConversationId>();
        for (int c = 0; c < CONVERSATIONS; c++) {
            convs.add(c < 10 ? ConversationId.room("room" + c) : ConversationId.direct("peer" + c));
        }
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        int batch = 1000;
        var pending = new ArrayList<List<HistoryRecord>>();
        for (int c = 0; c < CONVERSATIONS; c++) {
            pending.add(new ArrayList<>());
        }
        var id = new byte[16];
        for (int m = 0; m < messages; m++) {
            int c = random.nextInt(CONVERSATIONS);
            var text = new StringBuilder();
            int n = 3 + random.nextInt(12);
            for (int w = 0; w < n; w++) {
                // log-uniform rank: word k comes about 1/k as often as word 1 (Zipf's law, s = 1)
                int k = (int) Math.min(words.size() - 1, Math.floor(Math.pow(words.size(), random.nextDouble())) - 1);
                String word = words.get(Math.max(0, k));
                text.append(w == 0 ? capitalize(word) : " " + word);
            }
            if (random.nextInt(50_000) == 0) {
                text.append(" zebracorn");
            }
            random.nextBytes(id);
            String from = random.nextBoolean() ? USER : "peer" + c;
            Instant time = t0.plusSeconds(m * 3L);
            pending.get(c).add(new HistoryRecord(HistoryRecord.Kind.TEXT, HexFormat.of().formatHex(id), from, m + 1L,
                    time, text.toString(), false, 1, time));
            log.write(time + " " + convs.get(c).label() + " <" + from + "> " + text);
            log.newLine();
            if (pending.get(c).size() >= batch) {
                store.append(convs.get(c), pending.get(c));
                pending.get(c).clear();
            }
        }
        for (int c = 0; c < CONVERSATIONS; c++) {
            store.append(convs.get(c), pending.get(c));
        }
    }

    /** 5,000 made-up words of 3–10 letters (fixed seed), most frequent first. */
    private static List<String> vocabulary() {
        var random = new Random(SEED + 1);
        var out = new ArrayList<String>();
        var seen = new java.util.HashSet<String>();
        String consonants = "bcdfghklmnprstvwz";
        String vowels = "aeiou";
        while (out.size() < 5000) {
            int len = 3 + random.nextInt(8);
            var b = new StringBuilder();
            for (int i = 0; i < len; i++) {
                String from = i % 2 == 0 ? consonants : vowels;
                b.append(from.charAt(random.nextInt(from.length())));
            }
            if (seen.add(b.toString())) {
                out.add(b.toString());
            }
        }
        return out;
    }

    private static String capitalize(String w) {
        return Character.toUpperCase(w.charAt(0)) + w.substring(1);
    }

    private static List<String> helpLine(String client) {
        if (client != null) {
            return List.of(client, "--help");
        }
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "crumbhub.client.Main", "--help");
    }

    private static List<String> commandLine(String client, Path home, String query) {
        if (client != null) {
            return List.of(client, "--home", home.toString(), "search", query);
        }
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "crumbhub.client.Main", "--home", home.toString(), "search",
                query);
    }

    private static long timeProcess(List<String> command) throws IOException, InterruptedException {
        // output through a pipe that is read, never /dev/null: GNU grep stops at the first match when
        // its output is /dev/null, which would time a different question
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("CRUMBHUB_PASSPHRASE");
        long t = System.nanoTime();
        Process p = builder.start();
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        long elapsed = System.nanoTime() - t;
        if (p.exitValue() != 0 && !command.getFirst().equals("grep")) {
            throw new IllegalStateException("exit " + p.exitValue() + ": " + command);
        }
        return elapsed;
    }

    private static String grepCount(String q, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("grep", "-c", "-i", "-F", q, log.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        return out;
    }

    private static long p(long[] values, int percentile) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
