package crumbhub.client.chat;

import crumbhub.crypto.Bytes;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The search index's tokens: each trigram (three consecutive letters or digits inside a word,
 * after lower-casing) becomes the first 32 bits of HMAC-SHA256 under the index's token key. The
 * index stores only these keyed tokens, and only inside sealed segments (docs/client.md,
 * "History and search").
 *
 * <p>Why trigrams inside words: TEXT is a substring of a message, so every run of three letters
 * or digits in TEXT is also a run of three letters or digits of one word of the message; the
 * index narrows the candidates, and the decrypted text decides. Whole-word tokens would miss
 * {@code ell} in {@code hello}. A TEXT without three letters or digits in a row has no tokens,
 * and the search reads every message instead. Truncating to 32 bits only adds rare false
 * candidates, which the decrypted text removes.
 *
 * <p>Not thread-safe (one {@link Mac}, a cache of computed tokens); owned by the history's thread.
 */
final class SearchTokens implements AutoCloseable {
    /** Cached tokens before the cache is cleared; distinct trigrams of a language are far fewer. */
    private static final int CACHE_LIMIT = 200_000;

    private final Mac mac;
    private final byte[] key;
    private final Map<String, Integer> cache = new HashMap<>();

    SearchTokens(byte[] tokenKey) {
        this.key = tokenKey.clone();
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Text as the index and the matching compare it: lower case, independent of the locale. */
    static String fold(String text) {
        return text.toLowerCase(Locale.ROOT);
    }

    /** Receives a trigram's token and where it starts: its code point offset in the folded text. */
    @FunctionalInterface
    interface Sink {
        void accept(int token, int position);
    }

    /** Calls {@code sink} with the token of every trigram of {@code text}, repeats included. */
    void tokens(String text, java.util.function.IntConsumer sink) {
        tokens(text, (token, position) -> sink.accept(token));
    }

    /** Calls {@code sink} with the token and position of every trigram of {@code text}, in text order. */
    void tokens(String text, Sink sink) {
        String folded = fold(text);
        int[] cps = folded.codePoints().toArray();
        int run = 0;
        for (int i = 0; i < cps.length; i++) {
            run = Character.isLetterOrDigit(cps[i]) ? run + 1 : 0;
            if (run >= 3) {
                sink.accept(token(new String(cps, i - 2, 3)), i - 2);
            }
        }
    }

    /** The distinct tokens of a query's text (empty: it has no trigram, every message is a candidate). */
    int[] queryTokens(String text) {
        var set = new java.util.TreeSet<Integer>();
        tokens(text, (java.util.function.IntConsumer) set::add);
        return set.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * A query's trigrams: each token with its offset in the query (repeats kept), so that the index
     * can also check that they stand at those distances from each other ({@link IndexSegment}).
     */
    record Query(int[] tokens, int[] offsets) {
        static final Query EVERYTHING = new Query(new int[0], new int[0]);

        boolean isEmpty() {
            return tokens.length == 0;
        }
    }

    /** The trigrams of a query's text (empty: it has no trigram, every message is a candidate). */
    Query query(String text) {
        var tokens = new IndexSegment.IntList();
        var offsets = new IndexSegment.IntList();
        tokens(text, (token, position) -> {
            tokens.add(token);
            offsets.add(position);
        });
        return new Query(tokens.toArray(), offsets.toArray());
    }

    private int token(String trigram) {
        Integer cached = cache.get(trigram);
        if (cached != null) {
            return cached;
        }
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        byte[] h = mac.doFinal(trigram.getBytes(StandardCharsets.UTF_8));
        int t = ((h[0] & 0xff) << 24) | ((h[1] & 0xff) << 16) | ((h[2] & 0xff) << 8) | (h[3] & 0xff);
        cache.put(trigram, t);
        return t;
    }

    @Override
    public void close() {
        cache.clear();
        Bytes.zero(key);
    }
}
