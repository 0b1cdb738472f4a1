package crumbhub.server.domain;

import crumbhub.crypto.account.AccountKeyPair;
import crumbhub.crypto.account.RoomStatement;
import crumbhub.crypto.account.RoomStatement.Action;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Signed room statements for tests: one account key per user name, made once per test class. */
final class Statements {
    private static final SecureRandom RNG = new SecureRandom();
    private static final Map<String, AccountKeyPair> KEYS = new HashMap<>();

    private Statements() {}

    static synchronized AccountKeyPair key(String user) {
        return KEYS.computeIfAbsent(user, u -> AccountKeyPair.generate(AccountKeyPair.FIRST_EPOCH, RNG));
    }

    /** The next statement of {@code room}'s log in {@code state}, by {@code actor}. */
    static byte[] next(State state, String actor, String room, Action action, String subject) {
        return next(state, actor, room, action, subject, List.of(), List.of());
    }

    static byte[] next(State state, String actor, String room, Action action, String subject, List<String> members,
                       List<String> invited) {
        Room r = state.room(room);
        int seq = r == null ? 0 : r.logLength();
        byte[] head = r == null ? new byte[0] : r.logHead();
        return RoomStatement.sign(key(actor), room, seq, head, actor, action, subject, members, invited, 1_000, RNG)
                .encode();
    }
}
