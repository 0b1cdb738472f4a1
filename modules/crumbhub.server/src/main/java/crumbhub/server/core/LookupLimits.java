package crumbhub.server.core;

import crumbhub.server.config.AbuseLimits;
import crumbhub.server.domain.Names;
import crumbhub.server.domain.Rejected;
import crumbhub.server.domain.Room;
import crumbhub.server.domain.State;
import crumbhub.server.domain.User;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * How fast one account may look up other users and take their prekeys (docs/server.md §6, issue
 * 14 findings 6 and 7):
 * <ul>
 *   <li><b>Strangers:</b> each user named in DEVICE_KEYS or KEY_BUNDLES who shares no room (member
 *       or invited) with the requester and is not yet a contact takes one token of the requester's
 *       {@link AbuseLimits#strangerLookups()} bucket; an existing user looked up becomes a contact
 *       both ways (a conversation), so talking to someone costs one token once. Unknown names cost
 *       the same, so the answers cannot be used to list the server's users quickly.</li>
 *   <li><b>Bundles:</b> every device bundle requested takes a token of the requester's
 *       {@link AbuseLimits#bundlesPerRequester()} bucket; a one-time prekey is handed out only while
 *       the target device's {@link AbuseLimits#bundlesPerTarget()} bucket has tokens, after that the
 *       bundle comes without one and the signed prekeys (the last-resort keys) still start a
 *       session. One account, or many together, cannot drain a device's pool.</li>
 * </ul>
 * Contacts are kept in memory ({@link #CONTACTS_KEPT} per account) since the server started. At
 * most {@code maxKeys} accounts or devices are remembered per map, least recently used going first.
 *
 * <p>Not thread-safe: owned by the core thread.
 */
final class LookupLimits {
    /** Contacts remembered per account: more people than one talks to. */
    static final int CONTACTS_KEPT = 1_024;

    private final AbuseLimits limits;
    private final LongSupplier nanoTime;
    private final Map<String, TokenBucket> strangers;
    private final Map<String, LinkedHashSet<String>> contacts;
    private final Map<String, TokenBucket> requesters;
    private final Map<String, TokenBucket> targets;

    LookupLimits(AbuseLimits limits, LongSupplier nanoTime, int maxKeys) {
        this.limits = limits;
        this.nanoTime = nanoTime;
        this.strangers = lru(maxKeys);
        this.contacts = lru(maxKeys);
        this.requesters = lru(maxKeys);
        this.targets = lru(maxKeys);
    }

    private static <V> Map<String, V> lru(int maxKeys) {
        return new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > maxKeys;
            }
        };
    }

    /**
     * Admits a lookup of {@code rawNames} by {@code requester}, taking a token for each stranger
     * among them; returns how long to wait if the requester's bucket ran dry (the whole request is
     * refused then), or null if admitted.
     */
    Duration admitLookup(User requester, List<String> rawNames, State state) {
        long now = nanoTime.getAsLong();
        var distinct = new LinkedHashSet<String>();
        for (String raw : rawNames) {
            distinct.add(fold(raw));
        }
        String me = requester.name();
        LinkedHashSet<String> mine = contacts.get(me);
        TokenBucket bucket = null;
        List<String> myRooms = null;
        for (String name : distinct) {
            if (name.equals(me) || (mine != null && mine.contains(name))) {
                continue;
            }
            if (myRooms == null) {
                myRooms = state.roomsOf(requester);
            }
            if (sharesRoom(myRooms, name, state)) {
                continue;
            }
            if (bucket == null) {
                bucket = strangers.computeIfAbsent(me, u -> new TokenBucket(limits.strangerLookups()));
            }
            if (!bucket.tryTake(now)) {
                return Duration.ofNanos(Math.max(1, bucket.nanosUntilToken(now)));
            }
        }
        for (String name : distinct) {
            if (!name.equals(me) && state.user(name) != null) {
                remember(me, name);
                remember(name, me);
            }
        }
        return null;
    }

    /** Admits {@code bundles} device bundles for {@code requester}; the wait if refused, else null. */
    Duration admitBundles(String requester, int bundles) {
        long now = nanoTime.getAsLong();
        TokenBucket bucket = requesters.computeIfAbsent(requester, u -> new TokenBucket(limits.bundlesPerRequester()));
        for (int i = 0; i < bundles; i++) {
            if (!bucket.tryTake(now)) {
                return Duration.ofNanos(Math.max(1, bucket.nanosUntilToken(now)));
            }
        }
        return null;
    }

    /** Whether one more one-time prekey of {@code user}'s device {@code deviceId} may be handed out now (takes a token). */
    boolean mayTakeOneTimeKey(String user, int deviceId) {
        return targets.computeIfAbsent(user + "/" + deviceId, k -> new TokenBucket(limits.bundlesPerTarget()))
                .tryTake(nanoTime.getAsLong());
    }

    private void remember(String user, String contact) {
        LinkedHashSet<String> set = contacts.computeIfAbsent(user, u -> new LinkedHashSet<>());
        set.remove(contact);
        set.add(contact);
        if (set.size() > CONTACTS_KEPT) {
            set.remove(set.iterator().next());
        }
    }

    private static boolean sharesRoom(List<String> rooms, String name, State state) {
        for (String roomName : rooms) {
            Room room = state.room(roomName);
            if (room != null && (room.isMember(name) || room.isInvited(name))) {
                return true;
            }
        }
        return false;
    }

    private static String fold(String raw) {
        try {
            return Names.userRef(raw);
        } catch (Rejected invalid) {
            return raw.toLowerCase(Locale.ROOT);
        }
    }
}
