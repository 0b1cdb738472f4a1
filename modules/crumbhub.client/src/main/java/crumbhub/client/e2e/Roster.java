package crumbhub.client.e2e;

import crumbhub.wire.DeviceKey;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The devices a message may go to (docs/crypto.md "Device certificates"): every device the server
 * lists for the users, kept only if its user's account identity approved it. The server's
 * account listing (identity and certificates) is fetched only for users with a device this
 * device has not checked yet, so a steady conversation costs one DEVICE_KEYS round trip.
 * Blocking: network calls happen between store transactions, never inside one.
 */
final class Roster {
    private Roster() {}

    /**
     * The approved devices of {@code users} (this device excluded), by user in the order given.
     *
     * @param sending refuse (identity) a verified user whose account identity changed
     * @param ownPending receives the ids of this account's devices that are not approved
     */
    static Map<String, List<Trust.Device>> approved(Self self, KeyDirectory directory, List<String> users,
                                                    boolean sending, IntConsumer ownPending) {
        Map<String, List<DeviceKey>> listed = directory.identities(users);
        Map<String, List<Integer>> unchecked = self.store().transaction(tx -> {
            var out = new LinkedHashMap<String, List<Integer>>();
            for (String u : users) {
                PeerTrust trust = Trust.load(tx, u);
                boolean own = u.equals(self.user());
                var ids = new ArrayList<Integer>();
                for (DeviceKey k : listed.getOrDefault(u, List.of())) {
                    boolean known = trust.certified(k.deviceId()).map(i -> PeerTrust.same(i, k.identity())).orElse(false);
                    if (!known && !(own && k.deviceId() == self.deviceId())) {
                        ids.add(k.deviceId());
                    }
                }
                if (!ids.isEmpty() || (!own && trust.account().isEmpty())) {
                    out.put(u, ids);
                }
            }
            return out;
        });
        var served = new LinkedHashMap<String, Trust.Listing>();
        unchecked.forEach((u, ids) -> served.put(u, directory.account(u, ids).listing()));
        return self.store().transaction(tx -> {
            var out = new LinkedHashMap<String, List<Trust.Device>>();
            for (String u : users) {
                out.put(u, Trust.check(tx, self, u, listed.getOrDefault(u, List.of()),
                        served.getOrDefault(u, Trust.Listing.NONE), sending,
                        u.equals(self.user()) ? ownPending : id -> { }));
            }
            return out;
        });
    }

    /** All approved devices of {@code users} in one list. */
    static List<Trust.Device> flat(Map<String, List<Trust.Device>> byUser) {
        var out = new ArrayList<Trust.Device>();
        byUser.values().forEach(out::addAll);
        return out;
    }
}
