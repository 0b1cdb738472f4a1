package crumbhub.server.domain;

/**
 * How much one account may make the server keep for it (docs/server.md "Quotas"; docs/operations.md
 * §3 gives each default its reason). Every quota is checked against counts the {@link State}
 * derives from its durable content ({@link MessageQueue#bytes()}, {@link User#waitingBytes()},
 * {@link State#waitingBytes()}, room and device lists), so it is exact after a restart or a
 * snapshot load and is released as soon as messages are acknowledged, expire or their device is
 * revoked. A request over a quota is refused with {@link Reason#QUOTA} and changes nothing.
 *
 * @param mailboxMessages messages waiting in one device's mailbox before direct messages to that
 *                        device's user are refused; one sender's direct messages may take half of it
 * @param mailboxBytes    bytes ({@link Message#charge()}) waiting in one device's mailbox, likewise
 * @param senderBytes     bytes of the messages one account sent that some device has yet to
 *                        acknowledge: what one account can make the server hold, over all its targets
 * @param serverBytes     bytes of every message waiting on this server: bounds the heap the messages
 *                        take, whoever sent them
 * @param roomsJoined     rooms one account is a member of
 * @param invitesReceived room invitations one account has not yet accepted or declined
 * @param invitesSent     room invitations waiting in the rooms one account owns
 * @param devices         active (not revoked) devices of one account; each gets its own copy of
 *                        every message
 * @param backupBytes     bytes of one account's history backup (docs/server.md "History backup"):
 *                        the sealed batches its devices stored, kept until the account deletes them
 */
public record Quotas(int mailboxMessages, long mailboxBytes, long senderBytes, long serverBytes, int roomsJoined,
                     int invitesReceived, int invitesSent, int devices, long backupBytes) {
    /** Default {@link #backupBytes}: about a million chat lines of history per account. */
    public static final long DEFAULT_BACKUP_BYTES = 256L << 20;

    /**
     * Rooms joined plus invitations received must fit one room list frame (36 bytes a room in
     * 65,517 bytes): {@link RoomRules#MAX_ROOMS_PER_USER}.
     */
    public static final int MAX_ROOM_ENTRIES = RoomRules.MAX_ROOMS_PER_USER;
    /** The most devices an account may have: the device list must fit one frame. */
    public static final int MAX_DEVICES = 256;

    /** Each quota, named as its metric label ({@code crumbhub_quota_refusals_total{quota="…"}}). */
    public enum Kind {
        MAILBOX_MESSAGES("mailbox_messages"),
        MAILBOX_BYTES("mailbox_bytes"),
        SENDER_BYTES("sender_bytes"),
        SERVER_BYTES("server_bytes"),
        ROOMS_JOINED("rooms_joined"),
        INVITES_RECEIVED("invites_received"),
        INVITES_SENT("invites_sent"),
        DEVICES("devices"),
        BACKUP_BYTES("backup_bytes");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public Quotas {
        if (mailboxMessages < 1 || mailboxBytes < 1 || senderBytes < 1 || serverBytes < 1 || roomsJoined < 1
                || invitesReceived < 1 || invitesSent < 1 || devices < 1 || backupBytes < 1) {
            throw new IllegalArgumentException("every quota must be positive");
        }
        if (roomsJoined + invitesReceived > MAX_ROOM_ENTRIES) {
            throw new IllegalArgumentException("rooms joined plus invites received must be at most "
                    + MAX_ROOM_ENTRIES + " (one room list frame)");
        }
        if (devices > MAX_DEVICES) {
            throw new IllegalArgumentException("devices must be at most " + MAX_DEVICES);
        }
    }

    /**
     * What an operator gets without configuration. A mailbox holds 10,000 messages or 64 MiB, so a
     * device away for the whole 30-day retention still gets a busy month of direct messages; one
     * account can make the server hold 64 MiB; all accounts together a quarter of the heap ({@link
     * #defaultServerBytes}), so the messages never take the heap the rest of the server needs
     * (docs/operations.md "Memory": the copy the core keeps of the durable state, snapshots,
     * connections' outbound buffers); 500 rooms and 100 pending invitations received still fit one
     * room list, and 50 invitations sent means one account alone can fill only half of someone's
     * invitation slots.
     */
    public static Quotas defaults() {
        return new Quotas(10_000, 64L << 20, 64L << 20, defaultServerBytes(), 500, 100, 50, 32, DEFAULT_BACKUP_BYTES);
    }

    /**
     * A quarter of this JVM's maximum heap, at least 32 MiB: 128 MiB under the launcher's default
     * {@code -Xmx512m}. Half the heap, the default before, ran the heap out under 5x overload
     * (docs/benchmarks.md "Overload"): the waiting messages' charge covers their objects in both
     * copies of the state, but not a snapshot being written or the connections' buffers.
     */
    public static long defaultServerBytes() {
        return Math.max(32L << 20, Runtime.getRuntime().maxMemory() / 4);
    }

    /** Quotas so wide that load and fuzz tests never meet them; tests only. */
    public static Quotas unlimited() {
        return new Quotas(Integer.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, 500, 500,
                Integer.MAX_VALUE, MAX_DEVICES, Long.MAX_VALUE);
    }

    public Quotas withMailbox(int messages, long bytes) {
        return new Quotas(messages, bytes, senderBytes, serverBytes, roomsJoined, invitesReceived, invitesSent, devices, backupBytes);
    }

    public Quotas withSenderBytes(long v) {
        return new Quotas(mailboxMessages, mailboxBytes, v, serverBytes, roomsJoined, invitesReceived, invitesSent,
                devices, backupBytes);
    }

    public Quotas withServerBytes(long v) {
        return new Quotas(mailboxMessages, mailboxBytes, senderBytes, v, roomsJoined, invitesReceived, invitesSent,
                devices, backupBytes);
    }

    public Quotas withRooms(int joined, int received, int sent) {
        return new Quotas(mailboxMessages, mailboxBytes, senderBytes, serverBytes, joined, received, sent, devices, backupBytes);
    }

    public Quotas withBackupBytes(long v) {
        return new Quotas(mailboxMessages, mailboxBytes, senderBytes, serverBytes, roomsJoined, invitesReceived,
                invitesSent, devices, v);
    }

    public Quotas withDevices(int v) {
        return new Quotas(mailboxMessages, mailboxBytes, senderBytes, serverBytes, roomsJoined, invitesReceived,
                invitesSent, v, backupBytes);
    }

    /**
     * Bytes for people, in the largest binary unit they reach, with one decimal rounded down unless
     * whole: {@code 64 MiB}, {@code 4.9 MiB}, {@code 512 KiB}, {@code 900 bytes}.
     */
    public static String size(long bytes) {
        String[] units = {"TiB", "GiB", "MiB", "KiB"};
        for (int i = 0; i < units.length; i++) {
            int shift = 40 - 10 * i;
            if (bytes >= 1L << shift) {
                long whole = bytes >> shift;
                long tenths = ((bytes - (whole << shift)) * 10) >> shift;
                return whole + (tenths == 0 ? "" : "." + tenths) + " " + units[i];
            }
        }
        return bytes + " bytes";
    }
}
