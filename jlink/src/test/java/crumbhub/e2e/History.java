package crumbhub.e2e;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The record of a delivery run and its rules (issue 20's history check): every send with its
 * outcome, every message a client printed. Thread-safe: senders and daemon readers record while
 * the test reads {@link #missing()}; {@link #violations()} runs once the clients have ended.
 *
 * <p>The rules: each acknowledged message reaches every intended recipient exactly once; per
 * recipient, conversation and sender, messages arrive in the order they were sent; nothing is
 * shown that nobody sent, that the server refused, or to someone it was not meant for (a
 * message whose outcome is unknown, its sender killed while it was in flight, may be shown or not,
 * but once at most). The one repeat allowed is a killed client's last printed batch, shown again by
 * its next life ({@link #redelivered()}).
 */
final class History {
    /** What became of one send. */
    enum Outcome { PENDING, ACKED, REFUSED, UNKNOWN }

    /** One send: {@code index} counts the sender's sends from 0; {@code text} is unique in the run. */
    static final class Send {
        final String from;
        final int index;
        /** {@code #room} or {@code @user}. */
        final String to;
        final String text;
        volatile Outcome outcome = Outcome.PENDING;
        volatile String detail = "";

        Send(String from, int index, String to) {
            this.from = from;
            this.index = index;
            this.to = to;
            this.text = from + " " + index + " " + to;
        }
    }

    /** A message printed by {@code user}'s client in its {@code life} (1, then 2 after a restart, …). */
    record Receipt(String user, int life, String room, String from, String text) {}

    private final List<String> users;
    private final Map<String, Send> sends = new ConcurrentHashMap<>();
    private final Map<String, List<Receipt>> receipts = new ConcurrentHashMap<>();
    private final List<String> redelivered = new ArrayList<>();

    /** {@code users}: every member of every room of the run. */
    History(List<String> users) {
        this.users = List.copyOf(users);
        for (String u : users) {
            receipts.put(u, Collections.synchronizedList(new ArrayList<>()));
        }
    }

    /** Records a send about to be made; set its outcome when it is known. */
    Send send(String from, int index, String to) {
        var s = new Send(from, index, to);
        if (sends.putIfAbsent(s.text, s) != null) {
            throw new IllegalArgumentException("sent twice: " + s.text);
        }
        return s;
    }

    void received(Receipt r) {
        receipts.get(r.user()).add(r);
    }

    /** Who must get {@code s}: a room's other members, or the one peer. */
    List<String> recipients(Send s) {
        return s.to.startsWith("#") ? users.stream().filter(u -> !u.equals(s.from)).toList() : List.of(s.to.substring(1));
    }

    Map<Outcome, Long> outcomes() {
        Map<Outcome, Long> out = new java.util.EnumMap<>(Outcome.class);
        sends.values().forEach(s -> out.merge(s.outcome, 1L, Long::sum));
        return out;
    }

    int receiptCount() {
        return receipts.values().stream().mapToInt(List::size).sum();
    }

    /** "recipient <- text" for each acknowledged send its recipient has not printed yet. */
    List<String> missing() {
        Map<String, Set<String>> seen = new HashMap<>();
        for (String u : users) {
            List<Receipt> list = receipts.get(u);
            synchronized (list) {
                Set<String> texts = new HashSet<>();
                list.forEach(r -> texts.add(r.text()));
                seen.put(u, texts);
            }
        }
        List<String> out = new ArrayList<>();
        for (Send s : sends.values()) {
            if (s.outcome == Outcome.ACKED) {
                for (String r : recipients(s)) {
                    if (!seen.get(r).contains(s.text)) {
                        out.add(r + " <- " + s.text);
                    }
                }
            }
        }
        Collections.sort(out);
        return out;
    }

    /**
     * Every broken rule, a line each; empty when the history is right. Messages shown again after
     * a client was killed are no violation when they are the killed client's last batch (see
     * {@link #redelivered()}); any other repeat is.
     */
    List<String> violations() {
        redelivered.clear();
        List<String> violations = new ArrayList<>();
        missing().forEach(m -> violations.add("acknowledged but never shown: " + m));
        for (String u : users) {
            List<Receipt> list;
            synchronized (receipts.get(u)) {
                list = List.copyOf(receipts.get(u));
            }
            Map<String, Integer> count = new HashMap<>();
            Map<String, Integer> lastIndex = new HashMap<>();
            for (Receipt r : list) {
                Send s = sends.get(r.text());
                if (s == null) {
                    violations.add(u + " was shown a message nobody sent: " + r);
                    continue;
                }
                if (s.outcome == Outcome.REFUSED || s.outcome == Outcome.PENDING) {
                    violations.add(u + " was shown a message that was " + s.outcome + ": " + r + " " + s.detail);
                }
                String room = s.to.startsWith("#") ? s.to : "@" + s.from;
                if (!recipients(s).contains(u) || !r.room().equals(room) || !r.from().equals(s.from)) {
                    violations.add(u + " was shown a message not meant for it as such: " + r);
                }
                if (count.merge(r.text(), 1, Integer::sum) > 1) {
                    Receipt first = list.stream().filter(x -> x.text().equals(r.text())).findFirst().orElseThrow();
                    if (first.life() < r.life() && tailShownAgain(list, first, r.life())) {
                        redelivered.add(u + ": " + r.text() + " (life " + first.life() + " killed, shown again in life "
                                + r.life() + ")");
                    } else {
                        violations.add(u + " was shown a message again: " + r + "; all: "
                                + list.stream().filter(x -> x.text().equals(r.text())).toList());
                    }
                    continue;
                }
                Integer before = lastIndex.put(room + " " + s.from, s.index);
                if (before != null && before > s.index) {
                    violations.add(u + " got " + s.from + "'s messages out of order in " + room + ": " + before
                            + " before " + s.index);
                }
            }
        }
        return violations;
    }

    /**
     * The messages {@link #violations()} found shown again after a {@code kill -9} of the client:
     * a client prints a batch, then stores its position, then acknowledges (docs/bots.md), so a
     * kill between the printing and the storing shows that batch again, with the same message ids.
     */
    List<String> redelivered() {
        return List.copyOf(redelivered);
    }

    /**
     * Whether everything {@code first}'s life showed from {@code first} to its end was shown again
     * in {@code laterLife}: the killed life's last, unstored batch, and nothing older.
     */
    private static boolean tailShownAgain(List<Receipt> list, Receipt first, int laterLife) {
        Set<String> again = new HashSet<>();
        list.stream().filter(x -> x.life() == laterLife).forEach(x -> again.add(x.text()));
        boolean inTail = false;
        for (Receipt x : list) {
            inTail |= x == first;
            if (inTail && x.life() == first.life() && !again.contains(x.text())) {
                return false;
            }
        }
        return true;
    }
}
