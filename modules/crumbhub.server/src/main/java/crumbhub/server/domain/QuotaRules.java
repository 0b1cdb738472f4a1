package crumbhub.server.domain;

import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Checks a request against the {@link Quotas} before anything changes: part of {@link Domain},
 * same contract (throws {@link Rejected} with {@link Reason#QUOTA} and a one-line sentence, changes
 * nothing) and the same core-thread ownership. Every count is read from the state, never kept
 * here, so it cannot drift from what is stored.
 *
 * <p>Mailbox quotas guard direct messages only: a room's members chose to join it, and a room
 * message refused because one member's device has been away for weeks would silence the whole
 * room. What one account can make the server hold through rooms is bounded by its sender quota.
 */
final class QuotaRules {
    private final State state;
    private final Quotas quotas;
    /** Refusals per {@link Quotas.Kind}, for metrics: written by the core thread, read by any. */
    private final AtomicLongArray refusals = new AtomicLongArray(Quotas.Kind.values().length);

    QuotaRules(State state, Quotas quotas) {
        this.state = state;
        this.quotas = quotas;
    }

    Quotas quotas() {
        return quotas;
    }

    /** Requests refused by one quota since start. Any thread. */
    long refusals(Quotas.Kind kind) {
        return refusals.get(kind.ordinal());
    }

    /** Counts a refusal made outside the domain (the history backup's quota). Any thread. */
    void refused(Quotas.Kind kind) {
        refusals.incrementAndGet(kind.ordinal());
    }

    private Rejected over(Quotas.Kind kind, String sentence) {
        refusals.incrementAndGet(kind.ordinal());
        return new Rejected(Reason.QUOTA, sentence);
    }

    /**
     * A message of {@code charge} bytes ({@link Message#charge()}, for each recipient mailbox) from
     * {@code sender} to {@code target}, holding {@code held} bytes ({@link Message#held}) against the
     * sender's and the server's quotas.
     */
    void message(User sender, Kind kind, String target, long charge, long held) throws Rejected {
        held(sender, held);
        if (kind == Kind.DIRECT && !target.equals(sender.name())) {
            User peer = state.user(target);
            for (Device d : peer.devices.values()) {
                if (!d.revoked) {
                    mailbox(d, sender, charge);
                }
            }
        }
    }

    /** One ciphertext per device (SEND_DEVICES); each entry names a distinct, active device. */
    void deviceMessages(User sender, Kind kind, List<Change.DeviceEntry> entries) throws Rejected {
        long total = 0;
        for (Change.DeviceEntry e : entries) {
            total += Message.held(e.body().length, 1);
        }
        held(sender, total);
        if (kind == Kind.DIRECT) {
            for (Change.DeviceEntry e : entries) {
                if (!e.user().equals(sender.name())) {
                    mailbox(state.user(e.user()).device(e.deviceId()), sender,
                            (long) e.body().length + Message.OVERHEAD_BYTES);
                }
            }
        }
    }

    private void held(User sender, long charge) throws Rejected {
        if (sender.waitingBytes + charge > quotas.senderBytes()) {
            throw over(Quotas.Kind.SENDER_BYTES, "you have " + Quotas.size(sender.waitingBytes)
                    + " of messages waiting for their recipients (the limit is " + Quotas.size(quotas.senderBytes())
                    + "); send more once they have read some");
        }
        if (state.waitingBytes + charge > quotas.serverBytes()) {
            throw over(Quotas.Kind.SERVER_BYTES, "this server holds all the undelivered messages it can ("
                    + Quotas.size(quotas.serverBytes()) + "); try again once recipients have read some");
        }
    }

    /**
     * One more direct message for {@code d}: within the sender's share of the mailbox (half of each
     * mailbox quota, so one flooding account leaves room for everyone else) and within the quota.
     */
    private void mailbox(Device d, User sender, long charge) throws Rejected {
        MessageQueue box = d.mailbox;
        int mine = box.directMessagesFrom(sender.name());
        long myBytes = box.directBytesFrom(sender.name());
        if (mine + 1 > share(quotas.mailboxMessages()) || myBytes + charge > share(quotas.mailboxBytes())) {
            throw over(mine + 1 > share(quotas.mailboxMessages()) ? Quotas.Kind.MAILBOX_MESSAGES : Quotas.Kind.MAILBOX_BYTES,
                    "you have " + mine + " messages (" + Quotas.size(myBytes) + ") waiting in " + d.userName()
                            + "'s mailbox, as much as one sender may; send more once they have read some");
        }
        if (box.size() + 1 > quotas.mailboxMessages()) {
            throw over(Quotas.Kind.MAILBOX_MESSAGES, d.userName() + "'s mailbox is full (" + box.size()
                    + " messages waiting); try again once they have read some");
        }
        if (box.bytes() + charge > quotas.mailboxBytes()) {
            throw over(Quotas.Kind.MAILBOX_BYTES, d.userName() + "'s mailbox is full (" + Quotas.size(box.bytes())
                    + " waiting); try again once they have read some");
        }
    }

    /** One sender's share of a mailbox quota: half of it, at least one. */
    private static long share(long quota) {
        return Math.max(1, quota / 2);
    }

    /** {@code user} is about to become a member of one more room (create or join). */
    void joinRoom(User user) throws Rejected {
        int joined = joined(user);
        if (joined >= quotas.roomsJoined()) {
            throw over(Quotas.Kind.ROOMS_JOINED, "you are in " + joined + " rooms, the most this server allows; leave one first");
        }
    }

    /** {@code owner} invites {@code invitee} to one more room. */
    void invite(User owner, User invitee) throws Rejected {
        int received = invitee.rooms.size() - joined(invitee);
        if (received >= quotas.invitesReceived()) {
            throw over(Quotas.Kind.INVITES_RECEIVED, invitee.name() + " has " + received
                    + " invitations waiting; they must accept or decline some first");
        }
        int sent = 0;
        for (String name : owner.rooms) {
            Room r = state.room(name);
            if (r.owner.equals(owner.name())) {
                sent += r.invited.size();
            }
        }
        if (sent >= quotas.invitesSent()) {
            throw over(Quotas.Kind.INVITES_SENT, "you have " + sent
                    + " invitations waiting to be accepted; withdraw some (kick) or wait until they are accepted");
        }
    }

    /** {@code user} is about to get one more active device. */
    void addDevice(User user) throws Rejected {
        int active = user.activeDevices().size();
        if (active >= quotas.devices()) {
            throw over(Quotas.Kind.DEVICES, "this account has " + active + " devices; revoke one first");
        }
    }

    private int joined(User user) {
        int n = 0;
        for (String name : user.rooms) {
            if (state.room(name).isMember(user.name())) {
                n++;
            }
        }
        return n;
    }
}
