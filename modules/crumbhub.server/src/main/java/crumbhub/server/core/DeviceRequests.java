package crumbhub.server.core;

import crumbhub.server.domain.Device;
import crumbhub.server.domain.Domain;
import crumbhub.server.domain.KeyCheck;
import crumbhub.server.domain.Rejected;
import crumbhub.server.domain.User;
import crumbhub.wire.log.Log;
import crumbhub.wire.AuthFrame;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.DeviceFrame;
import crumbhub.wire.KeyFrame;
import crumbhub.wire.MessageFrame;

/**
 * DEVICES, DEVICE_REVOKE, LOGOUT and the end-to-end key requests (protocol §6): KEYS_PUBLISH,
 * DEVICE_KEYS, KEY_BUNDLES, SEND_DEVICES. Core thread.
 */
final class DeviceRequests {
    private static final Log LOG = Log.get("crumbhub.server.core");

    private final Domain domain;
    private final Journal journal;
    private final Delivery delivery;
    private final KeyRequests keys;
    private final Replies replies;

    DeviceRequests(Domain domain, Journal journal, Delivery delivery, KeyRequests keys, Replies replies) {
        this.domain = domain;
        this.journal = journal;
        this.delivery = delivery;
        this.keys = keys;
        this.replies = replies;
    }

    void list(Session s, DeviceFrame.Devices x) {
        s.peer().send(Listings.devices(x.requestId(), s.device().user(), s.device()));
    }

    void revoke(Session s, DeviceFrame.DeviceRevoke x) {
        revoke(s, x.requestId(), x.deviceId());
    }

    void logout(Session s, AuthFrame.Logout x) {
        revoke(s, x.requestId(), s.device().id());
    }

    private void revoke(Session s, int id, int deviceId) {
        if (replies.refuseWrite(s, id)) {
            return;
        }
        User user = s.device().user();
        try {
            domain.revokeDevice(user, deviceId);
        } catch (Rejected r) {
            s.peer().send(Errors.of(id, r));
            return;
        }
        Device d = user.device(deviceId);
        journal.afterDurable(() -> {
            boolean own = d == s.device();
            if (own) {
                s.close();
                delivery.detach(s);
            }
            closeSessions(d, "device_revoked");
            s.peer().send(new ControlFrame.Ok(id));
            if (own) {
                s.peer().close();
            }
        }, () -> s.peer().send(Errors.storage(id)));
    }

    /** Closes every connection of a device (revoked, or its user banned). */
    void closeSessions(Device d, String why) {
        if (d == null) {
            return;
        }
        for (Session other : delivery.sessionsOf(d)) {
            other.close();
            delivery.detach(other);
            other.peer().close();
            LOG.info("session_closed", "user", d.userName(), "device", d.id(), "reason", why);
        }
    }

    /** KEYS_PUBLISH whose signatures the network thread already checked. */
    void publish(Session s, int id, KeyCheck.Verified verified) {
        if (s.isReady() && !replies.refuseWrite(s, id)) {
            boolean first = !s.device().hasKeys();
            keys.publish(s, id, verified);
            if (first && s.device().hasKeys()) {
                journal.afterDurable(() -> announceNewDevice(s.device()), () -> { });
            }
        }
    }

    /**
     * Tells the other devices of the account at once that a device published its first keys
     * (protocol §7): a DEVICE_LIST push (id 0) to each of their sessions, so they can show it as
     * pending until it is approved. Core thread.
     */
    private void announceNewDevice(Device added) {
        User user = added.user();
        for (Device other : user.activeDevices()) {
            if (other != added) {
                for (Session session : delivery.sessionsOf(other)) {
                    session.peer().send(Listings.devices(0, user, other));
                }
            }
        }
    }

    /** KEYS_PUBLISH that raced with authentication past the network thread's check: verified here instead. */
    void publishUnverified(Session s, KeyFrame.KeysPublish x) {
        try {
            publish(s, x.requestId(), KeyRequests.verify(x));
        } catch (Rejected r) {
            s.peer().send(Errors.of(x.requestId(), r));
        }
    }

    /** KEM_PREKEYS_PUBLISH whose signatures the network thread already checked. */
    void publishKem(Session s, int id, KeyCheck.VerifiedKem verified) {
        if (s.isReady() && !replies.refuseWrite(s, id)) {
            keys.publishKem(s, id, verified);
        }
    }

    /** KEM_PREKEYS_PUBLISH that raced with authentication past the network thread's check: verified here instead. */
    void publishKemUnverified(Session s, crumbhub.wire.KemKeyFrame.KemPreKeysPublish x) {
        try {
            publishKem(s, x.requestId(), KeyRequests.verify(x));
        } catch (Rejected r) {
            s.peer().send(Errors.of(x.requestId(), r));
        }
    }

    void bundlesPq(Session s, crumbhub.wire.KemKeyFrame.KeyBundlesPq x) {
        if (!replies.refuseWrite(s, x.requestId())) {
            keys.bundlesPq(s, x);
        }
    }

    void identities(Session s, KeyFrame.DeviceKeys x) {
        keys.identities(s, x);
    }

    void bundles(Session s, KeyFrame.KeyBundles x) {
        if (!replies.refuseWrite(s, x.requestId())) {
            keys.bundles(s, x);
        }
    }

    void sendDevices(Session s, MessageFrame.SendDevices x) {
        if (x.entries().stream().anyMatch(e -> replies.tooLarge(e.body()))) {
            s.peer().send(replies.tooLarge(x.requestId()));
        } else if (!replies.refuseGrowth(s, x.requestId())) {
            keys.sendDevices(s, x);
        }
    }
}
