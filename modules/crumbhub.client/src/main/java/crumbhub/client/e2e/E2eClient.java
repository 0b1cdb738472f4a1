package crumbhub.client.e2e;

import crumbhub.client.ClientException;
import crumbhub.client.home.Home;
import crumbhub.client.message.Delivery;
import crumbhub.client.message.MessageOpener;
import crumbhub.client.message.MessageSealer;
import crumbhub.client.message.SealedMessage;
import crumbhub.client.message.Target;
import crumbhub.client.net.ClientSession;
import crumbhub.crypto.identity.IdentityPublicKey;
import crumbhub.crypto.identity.SafetyNumber;
import crumbhub.wire.DeviceKey;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.Frame;
import crumbhub.wire.KemKeyFrame;
import crumbhub.wire.KeyFrame;
import crumbhub.wire.MessageId;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The end-to-end encryption of one device (docs/design.md §5, docs/security.md): its keys, its sessions
 * with other devices, room sender keys, pins and verification, all kept encrypted in the home
 * directory ({@code e2ee/}). Commands, the terminal UI and the daemon use it through
 * {@link MessageSealer} and {@link MessageOpener}.
 *
 * <pre>
 *   E2eClient e2e = E2eClient.create(home, user, deviceId, rng, clock, warnings);
 *   try (var s = connect and resume with pushes going to e2e::onPush) {
 *       e2e.attach(s.session());
 *       e2e.maintain();                               // first upload, prekey refills
 *       SealedMessage out = e2e.seal(target, text, id);    // then send out.requests() in order, then out.sent()
 *       Result r = e2e.open(Delivery.of(deliver));    // for each DELIVER, before its ACK
 *   }
 * </pre>
 *
 * <p>Thread-safe: every operation runs in a store transaction (one at a time per home, across
 * processes too). {@link #seal}, {@link #maintain} and {@link #verify} use the network and block;
 * {@link #open} only touches the local store; {@link #onPush} only records and never blocks.
 */
public final class E2eClient implements MessageSealer, MessageOpener {
    private static final int UNKNOWN = -1;

    private final Self self;
    private final BodyOpener inbox;
    private final AtomicInteger serverOneTimeKeys = new AtomicInteger(UNKNOWN);
    private volatile ClientSession session;
    private volatile SendCounter sendCounter = new SendCounter(null);

    private E2eClient(Self self) {
        this.self = self;
        this.inbox = new BodyOpener(self);
    }

    /**
     * The end-to-end layer of device {@code deviceId} of {@code user}, stored in {@code home}.
     *
     * @param warnings where loud warnings go (an identity key changed, a device was skipped); one sentence each
     */
    public static E2eClient create(Home home, String user, long deviceId, SecureRandom rng, Clock clock,
                                   Consumer<String> warnings) {
        Objects.requireNonNull(warnings, "warnings");
        return new E2eClient(new Self(user, (int) deviceId, new E2eStore(home, rng), rng, clock, warnings));
    }

    /**
     * Where this home's send-counter witness lives, outside the home directory, so {@link #seal}
     * refuses to send from a home restored from an older copy (docs/crypto.md, "Rollback
     * counter"). Without it the counter is kept but a rewound home is not noticed. Returns this.
     */
    public E2eClient rollbackWitness(java.nio.file.Path directory) {
        this.sendCounter = new SendCounter(Objects.requireNonNull(directory, "directory"));
        return this;
    }

    /** The authenticated session to ask the server through; needed by {@link #seal}, {@link #maintain}, {@link #verify}. */
    public void attach(ClientSession session) {
        this.session = Objects.requireNonNull(session, "session");
    }

    /** Network thread: notes a KEYS_STATUS push (the server's pool of our one-time prekeys runs low). Other frames are ignored. */
    public void onPush(Frame frame) {
        if (frame instanceof KeyFrame.KeysStatus status && status.requestId() == 0) {
            serverOneTimeKeys.set(status.oneTimePreKeys());
        }
        if (frame instanceof KemKeyFrame.KemPreKeysStatus status && status.requestId() == 0) {
            serverKemKeys.set(status.oneTimeKemPreKeys());
        }
        if (frame instanceof crumbhub.wire.DeviceFrame.DeviceList list && list.requestId() == 0) {
            ownDevicesChanged.set(true);
        }
    }

    /**
     * Whether {@code frame} is a push for {@link #onPush} that can make {@link #refillWanted} true:
     * a pool of one-time prekeys (X25519 or ML-KEM) runs low, or this account's devices changed.
     */
    public static boolean isMaintenancePush(Frame frame) {
        return frame.requestId() == 0 && (frame instanceof KeyFrame.KeysStatus || frame instanceof KemKeyFrame.KemPreKeysStatus
                || frame instanceof crumbhub.wire.DeviceFrame.DeviceList);
    }

    /**
     * Whether {@link #maintain} has work a push asked for: a KEYS_STATUS push asked for a refill,
     * or a DEVICE_LIST push said a device joined this account (to announce if it is pending).
     */
    public boolean refillWanted() {
        int n = serverOneTimeKeys.get();
        int kem = serverKemKeys.get();
        return n != UNKNOWN && n < LOW_WATER || kem != UNKNOWN && kem < KEM_LOW_WATER || ownDevicesChanged.get();
    }

    /** Set by a DEVICE_LIST push, and at start: this account's devices are to be looked at by {@link #maintain}. */
    private final java.util.concurrent.atomic.AtomicBoolean ownDevicesChanged =
            new java.util.concurrent.atomic.AtomicBoolean(true);

    /** Below this many one-time prekeys on the server, {@link #maintain} uploads more (the server pushes below 20). */
    static final int LOW_WATER = 20;
    /** Below this many one-time ML-KEM prekeys on the server, {@link #maintain} uploads more (the server pushes below 10). */
    static final int KEM_LOW_WATER = 10;
    /** The server's count of this device's one-time ML-KEM prekeys, as last reported; {@link #UNKNOWN} until then. */
    private final java.util.concurrent.atomic.AtomicInteger serverKemKeys =
            new java.util.concurrent.atomic.AtomicInteger(UNKNOWN);

    /**
     * Creates this device's keys if it has none, and uploads them (at register and login); with
     * keys already uploaded it only refills the one-time prekeys when the server said they run
     * low and rotates the signed prekeys when due. On a device with keys from before, it also
     * publishes an account identity made here and not confirmed yet, looks for its approval while
     * it is pending (making the account's identity if the account has none: the upgrade of homes
     * from before account identities), and announces this account's pending devices once at start
     * and after a DEVICE_LIST push. Blocking, network.
     *
     * @throws ClientException refused if the server does not take the keys (for example a
     *     different identity for this device)
     */
    public void maintain() {
        boolean existing = self.store().transaction(tx -> tx.get(OwnKeys.RECORD)).isPresent();
        // at most twice: an upload the server confirms with a low pool is followed by a refill at once
        for (int round = 0; round < 2; round++) {
            if (!uploadIfNeeded()) {
                break;
            }
        }
        uploadKemIfNeeded();
        if (existing) {
            // register and login set up the account identity themselves, right after the first upload
            var setup = new AccountSetup(self, directory());
            setup.publishIfNeeded();
            setup.refreshIfPending();
            if (ownDevicesChanged.getAndSet(false)) {
                checkOwnDevices();
            }
        }
    }

    // ---- the account identity (docs/crypto.md "Account identity") ----

    /**
     * At {@code register}, after {@link #maintain}: makes the account identity, approves this
     * device with it, escrows it and returns the recovery code (to show once). Blocking, network.
     */
    public String createAccount() {
        return new AccountSetup(self, directory()).create();
    }

    /**
     * At a password {@code login}, after {@link #maintain}: learns the account identity; this
     * device is then pending (its id and approval code are returned), or already approved (empty).
     *
     * @throws ClientException identity if the account has no identity yet
     */
    public Optional<PendingDevice> joinAccount() {
        var setup = new AccountSetup(self, directory());
        var pending = setup.joinPending();
        if (pending.isEmpty() && !approved()) {
            throw ClientException.identity("the account " + self.user() + " has no account identity yet: run any"
                    + " command on one of its existing devices first (it makes one), then log in again");
        }
        return pending.map(p -> new PendingDevice(Integer.toUnsignedLong(p.deviceId()), p.code()));
    }

    /** A pending device as {@code login} shows it. */
    public record PendingDevice(long deviceId, String approvalCode) {}

    /** At {@code login --recovery-code-stdin}: approves this device with the recovery code. Blocking, network. */
    public void recoverAccount(String recoveryCode) {
        new AccountSetup(self, directory()).recover(recoveryCode);
    }

    /**
     * The account's history backup root key (docs/crypto.md "History backup"), if this device is
     * approved and holds the account key; empty on a pending device. Local state only; the caller
     * closes it.
     */
    public Optional<BackupRoot> historyBackupRoot() {
        return self.store().transaction(tx -> AccountState.load(tx)
                .filter(a -> a.approved() && a.privateKey().isPresent())
                .flatMap(a -> BackupRoot.of(self.user(), a.publicKey().encode(), a.privateKey().get())));
    }

    /** Whether this device is approved by its account identity (local state only). */
    public boolean approved() {
        return self.store().transaction(tx -> AccountState.load(tx).map(AccountState::approved).orElse(false));
    }

    /**
     * {@code devices approve ID --code CODE}: checks the code against the device's listed identity,
     * signs its certificate and sends it the account key. Blocking, network.
     */
    public void approveDevice(int deviceId, String code) {
        new AccountSetup(self, directory()).approve(deviceId, code, sealer());
    }

    /** A device's state as {@code devices} shows it. */
    public enum DeviceState { APPROVED, PENDING, REVOKED }

    /**
     * The state of each of this account's devices: approved if its certificate by the account
     * identity verifies, else pending; devices this device saw approved that the server no longer
     * lists are revoked. Blocking, network.
     */
    public Map<Long, DeviceState> deviceStates() {
        var out = new java.util.TreeMap<Long, DeviceState>();
        var approved = Roster.approved(self, directory(), List.of(self.user()), false, id -> { });
        var listed = directory().identities(List.of(self.user())).getOrDefault(self.user(), List.of());
        for (DeviceKey k : listed) {
            out.put(Integer.toUnsignedLong(k.deviceId()), DeviceState.PENDING);
        }
        for (Trust.Device d : approved.getOrDefault(self.user(), List.of())) {
            out.put(Integer.toUnsignedLong(d.ref().deviceId()), DeviceState.APPROVED);
        }
        if (approved()) {
            out.put(Integer.toUnsignedLong(self.deviceId()), DeviceState.APPROVED);
        }
        self.store().transaction(tx -> {
            for (long id : Trust.load(tx, self.user()).certifiedIds()) {
                out.putIfAbsent(id, DeviceState.REVOKED);
            }
            return null;
        });
        return out;
    }

    /** One upload if one is due; true if one was made and the pool is still low. */
    private boolean uploadIfNeeded() {
        var upload = self.store().transaction(tx -> {
            var stored = tx.get(OwnKeys.RECORD);
            boolean first = stored.isEmpty();
            try (OwnKeys keys = stored.map(OwnKeys::decode)
                    .orElseGet(() -> OwnKeys.generate(self.rng(), self.clock().millis()))) {
                boolean rotated = keys.rotateIfDue(self.clock().millis(), self.rng());
                boolean published = !first && !rotated && tx.get(UNPUBLISHED).isEmpty();
                int known = serverOneTimeKeys.get();
                int wanted = first ? OwnKeys.REFILL_TARGET
                        : known != UNKNOWN && known < LOW_WATER ? OwnKeys.REFILL_TARGET - known : 0;
                if (published && wanted == 0) {
                    return null;
                }
                var fresh = keys.addOneTime(wanted, self.rng());
                var frame = keys.publication(0, fresh);
                fresh.forEach(crumbhub.crypto.pqxdh.OneTimePreKeyPair::close);
                tx.put(OwnKeys.RECORD, keys.encode());
                tx.put(UNPUBLISHED, new byte[] {1});
                return frame;
            }
        });
        if (upload == null) {
            return false;
        }
        KeyFrame.KeysStatus status;
        try {
            status = directory().publish(id -> new KeyFrame.KeysPublish(id, upload.identity(), upload.signedPreKey(),
                    upload.kemPreKey(), upload.oneTimePreKeys()));
        } catch (ClientException e) {
            if (e.serverCode().filter(ErrorCode.TOO_LARGE.code()::equals).isPresent()) {
                // another process of this device refilled at the same time; the pool is full
                serverOneTimeKeys.set(UNKNOWN);
                return false;
            }
            throw e;
        }
        serverOneTimeKeys.set(status.oneTimePreKeys());
        self.store().transaction(tx -> {
            tx.delete(UNPUBLISHED);
            return null;
        });
        return status.oneTimePreKeys() < LOW_WATER;
    }

    /**
     * Uploads signed one-time ML-KEM prekeys (docs/crypto.md "PQXDH") when this device never made
     * any (new, or upgraded from before them) or the server reported its pool below
     * {@link #KEM_LOW_WATER}: enough to bring the pool to {@link OwnKeys#KEM_REFILL_TARGET}. A
     * server from before these keys answers {@code unsupported}; bundles then use the last-resort
     * key, as before. Blocking, network.
     */
    private void uploadKemIfNeeded() {
        var upload = self.store().transaction(tx -> {
            try (OwnKeys keys = self.ownKeys(tx)) {
                int known = serverKemKeys.get();
                int wanted = keys.neverMadeOneTimeKem() ? OwnKeys.KEM_REFILL_TARGET
                        : known != UNKNOWN && known < KEM_LOW_WATER ? OwnKeys.KEM_REFILL_TARGET - known : 0;
                if (wanted <= 0) {
                    return null;
                }
                var fresh = keys.addOneTimeKem(wanted, self.rng());
                var frame = keys.kemPublication(0, fresh);
                fresh.forEach(crumbhub.crypto.pqxdh.KemPreKeyPair::close);
                tx.put(OwnKeys.RECORD, keys.encode());
                return frame;
            }
        });
        if (upload == null) {
            return;
        }
        try {
            var status = directory().publishKem(id -> new KemKeyFrame.KemPreKeysPublish(id, upload.identity(),
                    upload.oneTimeKemPreKeys()));
            serverKemKeys.set(status.oneTimeKemPreKeys());
        } catch (ClientException e) {
            var code = e.serverCode();
            if (code.filter(c -> c.equals(ErrorCode.TOO_LARGE.code()) || c.equals(ErrorCode.UNSUPPORTED.code())).isEmpty()) {
                throw e;
            }
            // the pool is full (another process of this device refilled at the same time), or the
            // server predates one-time ML-KEM prekeys: the keys made stay unused until deleted
            serverKemKeys.set(UNKNOWN);
        }
    }

    /** Marks keys made or changed locally and not confirmed by the server yet, so the next {@link #maintain} uploads them. */
    private static final String UNPUBLISHED = "unpublished";

    @Override
    public SealedMessage seal(Target target, String text, MessageId id) {
        return sealer().seal(target, text, id, null);
    }

    @Override
    public SealedMessage seal(Target target, String text, MessageId id, crumbhub.client.message.Interaction interaction) {
        return sealer().seal(target, text, id, interaction);
    }

    private BodySealer sealer() {
        return new BodySealer(self, directory(), membership(), this::announcePending, sendCounter);
    }

    // ---- signed room membership (docs/crypto.md "Room membership") ----

    /** A verified membership change of a room, as shown to the user (docs/client.md "Membership events"). */
    public record RoomEvent(String room, int seq, String action, String by, String user, List<String> members,
                            String newOwner, java.time.Instant time, String id, String text) {
        static RoomEvent of(RoomLog.Verified e) {
            return new RoomEvent(e.room(), e.seq(), e.action(), e.by(), e.user(), e.members(), e.newOwner(),
                    java.time.Instant.ofEpochMilli(e.timeMs()), e.id(), e.text());
        }
    }

    /** A membership change of this user's own: the statement it signs. */
    public enum RoomChange { CREATE, INVITE, JOIN, LEAVE, KICK }

    /**
     * Makes this user's change {@code change} in {@code room} ({@code subject}: the user invited or
     * removed, else empty), signed by the account identity as the next statement of the room's
     * membership log. Blocking, network.
     *
     * @throws ClientException refused with the server's code when the server refuses it; identity
     *     when this device holds no account key (not approved)
     */
    public void changeRoom(RoomChange change, String room, String subject) {
        membership().change(crumbhub.crypto.account.RoomStatement.Action.valueOf(change.name()), room, subject);
    }

    /**
     * The verified membership changes of {@code room} this device has not shown yet, oldest first,
     * marked shown: each is to be printed as a line of the room. Blocking, network; empty for a room
     * this user cannot read.
     */
    public List<RoomEvent> roomEvents(String room) {
        return membership().announce(room).stream().map(RoomEvent::of).toList();
    }

    private RoomMembership membership() {
        return new RoomMembership(self, attached(), directory());
    }

    private ClientSession attached() {
        var s = session;
        if (s == null) {
            throw new IllegalStateException("attach a session first");
        }
        return s;
    }

    /** Device ids of this account already announced as pending by this process. */
    private final java.util.Set<Integer> announced = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Tells the user once per process about a device of their account that is not approved. */
    private void announcePending(int deviceId) {
        if (announced.add(deviceId)) {
            String id = Integer.toUnsignedString(deviceId);
            self.warnings().accept("your account has a PENDING device " + id + " (not approved; it receives nothing)."
                    + " If it is yours: crumbhub-client devices approve " + id + " --code CODE (the code it showed);"
                    + " if not: crumbhub-client devices revoke " + id);
        }
    }

    /**
     * Looks at this account's devices and announces those that are pending (once per process).
     * Blocking, network; for chat, daemon and listen at start and when the server says a device
     * was added.
     */
    public void checkOwnDevices() {
        if (approved()) {
            Roster.approved(self, directory(), List.of(self.user()), false, this::announcePending);
        }
    }

    /** Listings fetched by {@link #prefetch} for the next {@link #open} of a delivery from that device. */
    private final Map<DeviceRef, Trust.Listing> prefetched = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Before {@link #open}: fetches the server's listing of the sender's account when this device
     * has not checked the sending device yet, so that opening needs no network. Blocking, network.
     *
     * @throws ClientException network if the connection fails (then nothing was opened: open it after reconnecting)
     */
    @Override
    public void prefetch(Delivery message) {
        if (message.body().alg() != BodySealer.ALG_RATCHET || session == null) {
            return;
        }
        var sender = new DeviceRef(message.from(), message.fromDevice());
        boolean checked = self.store().transaction(tx -> Trust.load(tx, sender.user()).certified(sender.deviceId())
                .isPresent());
        if (!checked) {
            prefetched.put(sender, directory().account(sender.user(), List.of(sender.deviceId())).listing());
        }
    }

    /**
     * Opens one delivery. When the sending device is not yet known to be approved by its account,
     * and a session is attached, the server's listing of that account is fetched (blocking,
     * network) and the delivery opened again with it; without a session, or if the fetch fails,
     * the message is reported unreadable rather than shown as that user's.
     */
    @Override
    public Result open(Delivery message) {
        try {
            return inbox.open(message, null);
        } catch (BodyOpener.NeedsListing needs) {
            Trust.Listing listing = prefetched.remove(needs.sender);
            var s = session;
            if (listing != null) {
                return inbox.open(message, listing);
            }
            if (s == null) {
                listing = Trust.Listing.NONE;
            } else {
                try {
                    listing = new KeyDirectory(s).account(needs.sender.user(), List.of(needs.sender.deviceId())).listing();
                } catch (ClientException e) {
                    if (e.kind() == ClientException.Kind.LOCAL_STORE) {
                        throw e;
                    }
                    return new Result.Unreadable("the approval of " + needs.sender + " by its account could not be"
                            + " checked (" + e.getMessage() + ")");
                }
            }
            return inbox.open(message, listing);
        }
    }

    /** The safety number with a user and what this device knows about it. */
    public record Verification(String user, SafetyNumber number, boolean verified, boolean changedSinceVerified) {}

    /**
     * The safety number between this user's account identity (the one this device holds) and
     * {@code user}'s (as the server lists it), docs/crypto.md "Safety numbers": devices play no
     * part. A first sight pins {@code user}'s identity; with {@code confirm}, the listed identity
     * is pinned and marked verified. Blocking, network.
     */
    public Verification verify(String user, boolean confirm) {
        if (user.equals(self.user())) {
            throw ClientException.usage("verify compares your keys with another user's; name someone else");
        }
        byte[] theirs = directory().account(user, List.of()).listing().account();
        if (theirs.length == 0) {
            throw ClientException.refused(user + " has no account identity to verify (no such user, or their client"
                    + " has not set one up yet)");
        }
        try {
            crumbhub.crypto.account.AccountPublicKey.decode(theirs);
        } catch (crumbhub.crypto.CryptoException e) {
            throw ClientException.refused("the server sent an invalid account identity for " + user);
        }
        return self.store().transaction(tx -> {
            byte[] mine = AccountState.load(tx).orElseThrow(() -> ClientException.identity(
                    "this device has no account identity yet; run crumbhub-client login again")).publicKey().encode();
            var number = SafetyNumber.ofAccounts(self.user(), mine, user, theirs);
            PeerTrust trust = Trust.load(tx, user);
            if (confirm) {
                trust.verify(theirs);
                tx.put(PeerTrust.record(user), trust.encode());
                return new Verification(user, number, true, false);
            }
            if (trust.account().isEmpty()) {
                trust.pinAccount(theirs);
                tx.put(PeerTrust.record(user), trust.encode());
            }
            boolean changed = trust.isVerified() && !trust.matchesVerified(theirs);
            return new Verification(user, number, trust.isVerified() && !changed, changed);
        });
    }

    private KeyDirectory directory() {
        var s = session;
        if (s == null) {
            throw new IllegalStateException("attach a session first");
        }
        return new KeyDirectory(s);
    }

    @Override
    public String toString() {
        return "E2eClient[" + self.ref() + "]";
    }
}
