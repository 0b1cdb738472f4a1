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
import crumbhub.wire.KeyFrame;
import crumbhub.wire.MessageId;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
    }

    /** Whether a KEYS_STATUS push asked for a refill that {@link #maintain} has not done yet. */
    public boolean refillWanted() {
        int n = serverOneTimeKeys.get();
        return n != UNKNOWN && n < LOW_WATER;
    }

    /** Below this many one-time prekeys on the server, {@link #maintain} uploads more (the server pushes below 20). */
    static final int LOW_WATER = 20;

    /**
     * Creates this device's keys if it has none, and uploads them (at register and login); with
     * keys already uploaded it only refills the one-time prekeys when the server said they run
     * low and rotates the signed prekeys when due. Blocking, network.
     *
     * @throws ClientException refused if the server does not take the keys (for example a
     *     different identity for this device)
     */
    public void maintain() {
        // at most twice: an upload the server confirms with a low pool is followed by a refill at once
        for (int round = 0; round < 2; round++) {
            if (!uploadIfNeeded()) {
                return;
            }
        }
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

    /** Marks keys made or changed locally and not confirmed by the server yet, so the next {@link #maintain} uploads them. */
    private static final String UNPUBLISHED = "unpublished";

    @Override
    public SealedMessage seal(Target target, String text, MessageId id) {
        return new BodySealer(self, directory(), sendCounter).seal(target, text, id);
    }

    @Override
    public Result open(Delivery message) {
        return inbox.open(message);
    }

    /** The safety number with a user and what this device knows about it. */
    public record Verification(String user, SafetyNumber number, boolean verified, boolean changedSinceVerified) {}

    /**
     * The safety number between this user (all their devices) and {@code user} (all theirs), as
     * the server lists them, after checking the pins (changes are warned about). With
     * {@code confirm}, marks {@code user}'s current devices as verified. Blocking, network.
     */
    public Verification verify(String user, boolean confirm) {
        if (user.equals(self.user())) {
            throw ClientException.usage("verify compares your keys with another user's; name someone else");
        }
        Map<String, List<DeviceKey>> listed = directory().identities(List.of(self.user(), user));
        return self.store().transaction(tx -> {
            byte[] mine;
            try (OwnKeys own = self.ownKeys(tx)) {
                mine = own.identity.publicKey().encode();
            }
            List<IdentityPublicKey> ours = keys(Trust.check(tx, self.user(), listed.getOrDefault(self.user(), List.of()),
                    self.user(), self.deviceId(), mine, false, self.warnings()));
            ours.add(0, own(mine));
            List<Trust.Device> theirDevices = Trust.check(tx, user, listed.getOrDefault(user, List.of()), self.user(),
                    self.deviceId(), mine, false, self.warnings());
            if (theirDevices.isEmpty()) {
                throw ClientException.refused(user + " has no device with end-to-end keys to verify");
            }
            var number = SafetyNumber.of(self.user(), ours, user, keys(theirDevices));
            PeerTrust trust = Trust.load(tx, user);
            var identities = new ArrayList<byte[]>();
            for (Trust.Device d : theirDevices) {
                identities.add(d.identity());
            }
            boolean changed = trust.isVerified() && !trust.matchesVerified(identities);
            if (confirm) {
                trust.verify(identities);
                tx.put(PeerTrust.record(user), trust.encode());
                return new Verification(user, number, true, false);
            }
            return new Verification(user, number, trust.isVerified() && !changed, changed);
        });
    }

    private static List<IdentityPublicKey> keys(List<Trust.Device> devices) {
        var out = new ArrayList<IdentityPublicKey>();
        for (Trust.Device d : devices) {
            out.add(d.key());
        }
        return out;
    }

    private static IdentityPublicKey own(byte[] encoded) {
        try {
            return IdentityPublicKey.decode(encoded);
        } catch (crumbhub.crypto.CryptoException e) {
            throw new IllegalStateException("own identity does not decode", e);
        }
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
