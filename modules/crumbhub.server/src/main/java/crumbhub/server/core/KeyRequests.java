package crumbhub.server.core;

import crumbhub.server.domain.Change;
import crumbhub.server.domain.Device;
import crumbhub.server.domain.Domain;
import crumbhub.server.domain.KeyCheck;
import crumbhub.server.domain.KeyRules;
import crumbhub.server.domain.Kind;
import crumbhub.server.domain.Rejected;
import crumbhub.wire.DeviceBody;
import crumbhub.wire.DeviceKey;
import crumbhub.wire.KeyBundle;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.KeyFrame;
import crumbhub.wire.KemKeyFrame;
import crumbhub.wire.PqKeyBundle;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.TargetKind;
import crumbhub.wire.UserDeviceKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The end-to-end requests of protocol §6 on the core thread: key uploads, identity listings,
 * prekey bundles and to-device messages. Like {@link ServerCore}, every reply that reports a
 * change waits until the change is durable; a bundle's one-time prekey is handed out only once
 * its removal from the pool is durable, so a crash cannot hand it out twice. The caller has
 * already refused writes while the store is failed or saturated.
 */
final class KeyRequests {
    private final Domain domain;
    private final Journal journal;
    private final Delivery delivery;
    private final SeqLeases leases;
    private final Counters counters;
    private final LookupLimits lookups;

    KeyRequests(Domain domain, Journal journal, Delivery delivery, SeqLeases leases, Counters counters,
                LookupLimits lookups) {
        this.lookups = lookups;
        this.leases = leases;
        this.counters = counters;
        this.domain = domain;
        this.journal = journal;
        this.delivery = delivery;
    }

    /** Checks an upload's keys: the network thread does this before the core sees the request. */
    static KeyCheck.Verified verify(KeyFrame.KeysPublish k) throws Rejected {
        return KeyCheck.verify(k.identity(), k.signedPreKey(), k.kemPreKey(), k.oneTimePreKeys());
    }

    void publish(Session s, int id, KeyCheck.Verified keys) {
        int count;
        try {
            count = domain.keys().publish(s.device(), keys);
        } catch (Rejected r) {
            s.peer().send(Errors.of(id, r));
            return;
        }
        var reply = new KeyFrame.KeysStatus(id, Math.min(count, 0xFFFF));
        journal.afterDurable(() -> s.peer().send(reply), () -> s.peer().send(Errors.storage(id)));
    }

    /** Checks a KEM_PREKEYS_PUBLISH's keys: the network thread does this before the core sees the request. */
    static KeyCheck.VerifiedKem verify(KemKeyFrame.KemPreKeysPublish k) throws Rejected {
        return KeyCheck.verifyKem(k.identity(), k.oneTimeKemPreKeys());
    }

    void publishKem(Session s, int id, KeyCheck.VerifiedKem keys) {
        int count;
        try {
            count = domain.keys().publishKem(s.device(), keys);
        } catch (Rejected r) {
            s.peer().send(Errors.of(id, r));
            return;
        }
        var reply = new KemKeyFrame.KemPreKeysStatus(id, Math.min(count, 0xFFFF));
        journal.afterDurable(() -> s.peer().send(reply), () -> s.peer().send(Errors.storage(id)));
    }

    void identities(Session s, KeyFrame.DeviceKeys x) {
        if (refusedLookup(s, x.requestId(), x.users())) {
            return;
        }
        var users = new ArrayList<UserDeviceKeys>();
        for (KeyRules.UserKeys u : domain.keys().identities(x.users())) {
            var devices = new ArrayList<DeviceKey>(u.devices().size());
            for (Device d : u.devices()) {
                devices.add(new DeviceKey(d.id(), d.identity()));
            }
            users.add(new UserDeviceKeys(u.user(), devices));
        }
        s.peer().send(KeyFrame.DeviceKeysReply.fitting(x.requestId(), users));
    }

    void bundles(Session s, KeyFrame.KeyBundles x) {
        int id = x.requestId();
        var low = new LinkedHashSet<Device>();
        List<KeyRules.Bundle> taken = take(s, id, x.user(), x.deviceIds(), false, low);
        if (taken == null) {
            return;
        }
        var bundles = new ArrayList<KeyBundle>(taken.size());
        for (KeyRules.Bundle b : taken) {
            bundles.add(classic(b));
        }
        answerBundles(s, id, KeyFrame.KeyBundlesReply.fitting(id, x.user(), bundles), low);
    }

    /**
     * KEY_BUNDLES_PQ: as {@link #bundles}, each bundle also taking one one-time ML-KEM prekey, whose
     * removal is durable before the reply leaves (protocol §6), so it is never handed out twice.
     */
    void bundlesPq(Session s, KemKeyFrame.KeyBundlesPq x) {
        int id = x.requestId();
        var low = new LinkedHashSet<Device>();
        List<KeyRules.Bundle> taken = take(s, id, x.user(), x.deviceIds(), true, low);
        if (taken == null) {
            return;
        }
        var bundles = new ArrayList<PqKeyBundle>(taken.size());
        for (KeyRules.Bundle b : taken) {
            bundles.add(new PqKeyBundle(classic(b), b.oneTimeKemPreKey() == null ? new byte[0] : b.oneTimeKemPreKey().key()));
        }
        answerBundles(s, id, KemKeyFrame.KeyBundlesPqReply.fitting(id, x.user(), bundles), low);
    }

    private static KeyBundle classic(KeyRules.Bundle b) {
        Device d = b.device();
        return new KeyBundle(d.id(), d.identity(), d.signedPreKey(), d.kemPreKey(),
                b.oneTimePreKey() == null ? new byte[0] : b.oneTimePreKey().key());
    }

    /**
     * The lookup and bundle limits, then the bundles taken (null, after answering, if refused);
     * adds to {@code low} the devices whose pools a taken key left low.
     */
    private List<KeyRules.Bundle> take(Session s, int id, String user, List<Integer> deviceIds, boolean withKem,
                                       Set<Device> low) {
        if (refusedLookup(s, id, List.of(user))) {
            return null;
        }
        Duration wait = lookups.admitBundles(s.device().userName(), new LinkedHashSet<>(deviceIds).size());
        if (wait != null) {
            s.peer().send(Errors.of(id, ErrorCode.THROTTLED,
                    "too many key bundle requests from your account; try again in " + Authenticator.humane(wait)));
            return null;
        }
        List<KeyRules.Bundle> taken = domain.keys().takeBundles(user, deviceIds,
                d -> lookups.mayTakeOneTimeKey(d.userName(), d.id()), withKem);
        for (KeyRules.Bundle b : taken) {
            Device d = b.device();
            if (b.oneTimePreKey() != null && d.oneTimePreKeyCount() < Domain.ONE_TIME_PREKEYS_LOW
                    || b.oneTimeKemPreKey() != null && d.oneTimeKemPreKeyCount() < Domain.ONE_TIME_KEM_PREKEYS_LOW) {
                low.add(d);
            }
        }
        return taken;
    }

    private void answerBundles(Session s, int id, crumbhub.wire.Frame reply, Set<Device> low) {
        journal.afterDurable(() -> {
            s.peer().send(reply);
            for (Device d : low) {
                tellIfLow(d);
            }
        }, () -> s.peer().send(Errors.storage(id)));
    }

    /** Answers {@code throttled} if looking up {@code users} is over the requester's stranger budget. */
    boolean refusedLookup(Session s, int id, List<String> users) {
        Duration wait = lookups.admitLookup(s.device().user(), users, domain.state());
        if (wait == null) {
            return false;
        }
        s.peer().send(Errors.of(id, ErrorCode.THROTTLED, "too many lookups of users you share no room or conversation"
                + " with; try again in " + Authenticator.humane(wait)));
        return true;
    }

    /**
     * Pushes KEYS_STATUS to every session of {@code d} when it published keys and its pool of
     * one-time prekeys is low, and KEM_PREKEYS_STATUS when its pool of one-time ML-KEM prekeys is.
     * Core thread.
     */
    void tellIfLow(Device d) {
        if (d.revoked() || !d.hasKeys()) {
            return;
        }
        for (Session other : delivery.sessionsOf(d)) {
            if (d.oneTimePreKeyCount() < Domain.ONE_TIME_PREKEYS_LOW) {
                other.peer().send(new KeyFrame.KeysStatus(0, d.oneTimePreKeyCount()));
            }
            if (d.oneTimeKemPreKeyCount() < Domain.ONE_TIME_KEM_PREKEYS_LOW) {
                other.peer().send(new KemKeyFrame.KemPreKeysStatus(0, d.oneTimeKemPreKeyCount()));
            }
        }
    }

    void sendDevices(Session s, MessageFrame.SendDevices x) {
        int id = x.requestId();
        Kind kind = x.kind() == TargetKind.ROOM ? Kind.ROOM : Kind.DIRECT;
        var entries = new ArrayList<Change.DeviceEntry>(x.entries().size());
        for (DeviceBody e : x.entries()) {
            entries.add(new Change.DeviceEntry(e.user(), e.deviceId(), e.body()));
        }
        Domain.SendResult result;
        leases.beforeStore();
        try {
            result = domain.sendToDevices(s.device(), kind, x.target(), x.messageId().toBytes(), x.alg(), entries);
        } catch (Rejected r) {
            s.peer().send(Errors.of(id, r));
            return;
        }
        delivery.answerSend(s, id, result);
    }
}
