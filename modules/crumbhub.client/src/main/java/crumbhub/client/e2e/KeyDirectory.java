package crumbhub.client.e2e;

import crumbhub.client.ClientException;
import crumbhub.client.net.ClientSession;
import crumbhub.wire.AccountFrame;
import crumbhub.wire.DeviceKey;
import crumbhub.wire.Frame;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.KemKeyFrame;
import crumbhub.wire.PqKeyBundle;
import crumbhub.wire.KeyFrame;
import crumbhub.wire.Limits;
import crumbhub.wire.MemberInfo;
import crumbhub.wire.MemberRole;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.RoomFrame;
import crumbhub.wire.UserDeviceKeys;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * What the end-to-end layer asks the server (protocol §6): the device identities of users,
 * prekey bundles, room members, key uploads. Nothing it returns is trusted: identities are
 * checked against the pins, bundles against the identities and their signatures.
 * Blocking; called from the application thread.
 */
final class KeyDirectory {
    private final ClientSession session;

    KeyDirectory(ClientSession session) {
        this.session = session;
    }

    /** Every active device with keys of each user, in the order asked (users without devices map to an empty list). */
    Map<String, List<DeviceKey>> identities(List<String> users) {
        var out = new LinkedHashMap<String, List<DeviceKey>>();
        var todo = new ArrayList<>(new LinkedHashSet<>(users));
        while (!todo.isEmpty()) {
            List<String> batch = List.copyOf(todo.subList(0, Math.min(todo.size(), Limits.USERS_PER_KEY_REQUEST)));
            var reply = session.call("device keys", id -> new KeyFrame.DeviceKeys(id, batch), KeyFrame.DeviceKeysReply.class);
            if (reply.users().isEmpty() && !batch.isEmpty()) {
                throw ClientException.refused("the server listed no device keys for " + batch.get(0));
            }
            for (UserDeviceKeys u : reply.users()) {
                if (!todo.remove(u.user())) {
                    throw ClientException.refused("the server listed device keys of " + u.user() + ", who was not asked for");
                }
                out.put(u.user(), u.devices());
            }
        }
        return out;
    }

    /**
     * Bundles for the named devices of {@code user}, each with a one-time ML-KEM prekey while the
     * device's pool lasts (KEY_BUNDLES_PQ); devices the server has no keys for are missing. A server
     * without that frame answers {@code unsupported}: then KEY_BUNDLES, whose bundles use the
     * last-resort ML-KEM prekey.
     */
    List<PqKeyBundle> bundles(String user, List<Integer> deviceIds) {
        var out = new ArrayList<PqKeyBundle>();
        var todo = new ArrayList<>(new LinkedHashSet<>(deviceIds));
        while (!todo.isEmpty()) {
            List<Integer> batch = List.copyOf(todo.subList(0, Math.min(todo.size(), Limits.DEVICES_PER_BUNDLE_REQUEST)));
            List<PqKeyBundle> got;
            boolean more;
            if (pqBundles) {
                try {
                    var reply = session.call("key bundles", id -> new KemKeyFrame.KeyBundlesPq(id, user, batch),
                            KemKeyFrame.KeyBundlesPqReply.class);
                    got = reply.bundles();
                    more = reply.more();
                } catch (ClientException e) {
                    if (e.serverCode().filter(ErrorCode.UNSUPPORTED.code()::equals).isEmpty()) {
                        throw e;
                    }
                    pqBundles = false;
                    continue;
                }
            } else {
                var reply = session.call("key bundles", id -> new KeyFrame.KeyBundles(id, user, batch), KeyFrame.KeyBundlesReply.class);
                got = reply.bundles().stream().map(b -> new PqKeyBundle(b, new byte[0])).toList();
                more = reply.more();
            }
            out.addAll(got);
            if (more && !got.isEmpty()) {
                for (PqKeyBundle b : got) {
                    todo.remove(Integer.valueOf(b.bundle().deviceId()));
                }
            } else {
                todo.removeAll(batch);
            }
        }
        return out;
    }

    /** False once the server answered KEY_BUNDLES_PQ with {@code unsupported} (a server from before it). */
    private boolean pqBundles = true;

    /** The members (owner and members, not invitees) of a room; refused if this user is not in it. */
    List<String> roomMembers(String room) {
        var reply = session.call("send to #" + room, id -> new RoomFrame.RoomMembers(id, room), RoomFrame.MemberList.class);
        if (reply.more()) {
            throw ClientException.refused("the member list of #" + room + " does not fit one reply");
        }
        var out = new ArrayList<String>();
        for (MemberInfo m : reply.members()) {
            if (m.role() != MemberRole.INVITED) {
                out.add(m.user());
            }
        }
        return out;
    }

    /**
     * Lets the server judge a target that has no device to encrypt for: an empty SEND_DEVICES
     * stores nothing, and is refused (not_found, not_member) when the target is wrong.
     */
    void checkTarget(crumbhub.wire.TargetKind kind, String target, crumbhub.wire.MessageId probe) {
        session.call("send to " + (kind == crumbhub.wire.TargetKind.ROOM ? "#" : "@") + target,
                id -> new MessageFrame.SendDevices(id, kind, target, probe, 1, List.of()), MessageFrame.SendOk.class);
    }

    /**
     * The account identity of {@code user} and the certificates of the named devices (protocol §7);
     * the escrow is served for this user's own account only. Devices without a certificate are missing.
     */
    AccountListing account(String user, List<Integer> deviceIds) {
        var certs = new LinkedHashMap<Integer, byte[]>();
        var todo = new ArrayList<>(new LinkedHashSet<>(deviceIds));
        AccountFrame.AccountKeysReply reply;
        do {
            List<Integer> batch = List.copyOf(todo.subList(0, Math.min(todo.size(), Limits.DEVICES_PER_BUNDLE_REQUEST)));
            reply = session.call("account keys", id -> new AccountFrame.AccountKeys(id, user, batch),
                    AccountFrame.AccountKeysReply.class);
            if (!reply.user().equals(user)) {
                throw ClientException.refused("the server answered for " + reply.user() + " when asked for " + user);
            }
            for (AccountFrame.Certificate c : reply.certificates()) {
                if (todo.remove(Integer.valueOf(c.deviceId()))) {
                    certs.put(c.deviceId(), c.certificate());
                }
            }
            if (!reply.more() || reply.certificates().isEmpty()) {
                todo.removeAll(batch);
            }
        } while (!todo.isEmpty());
        return new AccountListing(new Trust.Listing(reply.identity(), Map.copyOf(certs)), reply.escrow());
    }

    /** An account's listing and, for this user's own account, its recovery escrow (else empty). */
    record AccountListing(Trust.Listing listing, byte[] escrow) {}

    /** Publishes the account identity, escrow (either empty: unchanged) and certificates (protocol §7). */
    void publishAccount(byte[] identity, byte[] escrow, List<AccountFrame.Certificate> certificates) {
        session.call("account publish", id -> new AccountFrame.AccountPublish(id, identity, escrow, certificates),
                crumbhub.wire.ControlFrame.Ok.class);
    }

    /** Sends one to-device message request, answered by SEND_OK once stored. */
    void send(String what, java.util.function.IntFunction<Frame> request) {
        session.call(what, request, MessageFrame.SendOk.class);
    }

    KeyFrame.KeysStatus publish(java.util.function.IntFunction<Frame> upload) {
        return session.call("key upload", upload, KeyFrame.KeysStatus.class);
    }

    /** Uploads one-time ML-KEM prekeys (KEM_PREKEYS_PUBLISH); the reply is the size of the server's pool. */
    KemKeyFrame.KemPreKeysStatus publishKem(java.util.function.IntFunction<Frame> upload) {
        return session.call("KEM prekey upload", upload, KemKeyFrame.KemPreKeysStatus.class);
    }
}
