package crumbhub.client.e2e;

import crumbhub.client.ClientException;
import crumbhub.client.message.Interaction;
import crumbhub.client.message.SealedMessage;
import crumbhub.client.message.Target;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.group.SenderKeyMessage;
import crumbhub.crypto.group.SenderKeyState;
import crumbhub.crypto.identity.IdentityKeys;
import crumbhub.crypto.pqxdh.KemPreKey;
import crumbhub.crypto.pqxdh.OneTimePreKey;
import crumbhub.crypto.pqxdh.Pqxdh;
import crumbhub.crypto.pqxdh.PreKeyBundle;
import crumbhub.crypto.pqxdh.SignedPreKey;
import crumbhub.crypto.ratchet.RatchetSession;
import crumbhub.wire.DeviceBody;
import crumbhub.wire.Frame;
import crumbhub.wire.PqKeyBundle;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.MessageId;
import crumbhub.wire.TargetKind;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Sealing (docs/design.md §5): a direct message is encrypted once per recipient device (the peer's
 * devices and this user's other devices) with the Double Ratchet, a session being started with
 * PQXDH from a prekey bundle when there is none; a room message is encrypted once with this
 * device's sender-key chain for the room, after the chain went to every member device that does
 * not have it yet. The chain is replaced ("rotated") when a device it was given to is no
 * longer a member device (it left, was removed, or its identity changed), so nobody outside the
 * room can read what follows; a new member gets the chain at its current iteration and cannot
 * read earlier messages.
 *
 * <p>Each message takes two store transactions around the network: the first checks the pins
 * and finds the devices without a session, the network then fetches their bundles, the second
 * encrypts and stores the advanced state. The network is never used while the store is locked.
 */
final class BodySealer {
    static final int ALG_RATCHET = 1;
    static final int ALG_SENDER_KEY = 2;

    private final Self self;
    private final KeyDirectory directory;
    private final RoomMembership membership;
    private final java.util.function.IntConsumer ownPending;
    private final SendCounter counter;

    BodySealer(Self self, KeyDirectory directory, RoomMembership membership, java.util.function.IntConsumer ownPending,
               SendCounter counter) {
        this.self = self;
        this.directory = directory;
        this.membership = membership;
        this.ownPending = ownPending;
        this.counter = counter;
    }

    /** {@code interaction}: what the message does to an earlier one, or null for a plain message. */
    SealedMessage seal(Target target, String text, MessageId id, Interaction interaction) {
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > Envelope.MAX_TEXT_BYTES) {
            throw ClientException.usage("message too long: " + bytes + " bytes of UTF-8, at most " + Envelope.MAX_TEXT_BYTES);
        }
        String problem = interaction == null ? null : Interaction.problem(interaction, text);
        if (problem != null) {
            throw ClientException.usage(problem);
        }
        // a rewound home is refused before any request (docs/crypto.md, "Rollback counter")
        self.store().transaction(tx -> {
            if (!AccountState.load(tx).map(AccountState::approved).orElse(false)) {
                throw ClientException.identity("this device is not approved by your account yet, so nothing it sends"
                        + " would be shown as yours: approve it from an approved device (crumbhub-client devices approve"
                        + " " + Integer.toUnsignedString(self.deviceId()) + " --code CODE) or log in again with"
                        + " --recovery-code-stdin");
            }
            counter.check(tx);
            return null;
        });
        return switch (target) {
            case Target.Direct d -> direct(d, text, id, interaction);
            case Target.Room r -> room(r, text, id, interaction);
        };
    }

    // ---- direct messages ----

    /** The envelope of a message: a plain text, or a reply, reaction, edit or delete (padded alike). */
    private byte[] envelope(MessageId id, String target, String text, Interaction interaction) {
        long now = self.clock().millis();
        return (interaction == null ? new Envelope.Text(self.ref(), id, target, text, now)
                : new Envelope.Act(self.ref(), id, target, text, now, interaction)).encode();
    }

    private SealedMessage direct(Target.Direct target, String text, MessageId id, Interaction interaction) {
        String peer = target.name();
        List<String> users = peer.equals(self.user()) ? List.of(peer) : List.of(peer, self.user());
        List<Trust.Device> recipients = Roster.flat(Roster.approved(self, directory, users, true, ownPending));
        if (!peer.equals(self.user()) && recipients.stream().noneMatch(d -> d.ref().user().equals(peer))) {
            directory.checkTarget(TargetKind.DIRECT, peer, MessageId.random(self.rng()));
            throw ClientException.refused(peer + " has no device that can receive end-to-end encrypted messages yet");
        }
        Map<DeviceRef, PqKeyBundle> bundles = bundlesFor(recipients);
        var envelope = envelope(id, peer, text, interaction);
        var advanced = new SendCounter.Advanced[1];
        List<DeviceBody> entries = self.store().transaction(tx -> {
            advanced[0] = counter.advance(tx, self.rng());
            var out = new ArrayList<DeviceBody>();
            try (IdentityKeys identity = ownIdentityKeys(tx)) {
                for (Trust.Device d : recipients) {
                    encryptFor(tx, identity, d, bundles.get(d.ref()), envelope).ifPresent(out::add);
                }
            }
            return out;
        });
        java.util.Arrays.fill(envelope, (byte) 0);
        counter.witness(self.store(), advanced[0]);
        if (!peer.equals(self.user()) && entries.stream().noneMatch(e -> e.user().equals(peer))) {
            throw ClientException.refused("no session could be started with any device of " + peer);
        }
        // a note to self with no other device is a request without entries: the server confirms, stores nothing
        var requests = entries.isEmpty() ? List.of(request(TargetKind.DIRECT, peer, Optional.of(id), List.of()))
                : chunks(TargetKind.DIRECT, peer, Optional.of(id), entries);
        return new SealedMessage(target, id, requests, () -> { });
    }

    /**
     * A to-device message for {@code d} alone, a device of this account that the caller checked
     * itself (the account key handed to a device being approved): direct, addressed to this user.
     */
    IntFunction<Frame> sealForOwnDevice(Trust.Device d, byte[] plaintext, MessageId id) {
        Map<DeviceRef, PqKeyBundle> bundles = bundlesFor(List.of(d));
        var advanced = new SendCounter.Advanced[1];
        DeviceBody entry = self.store().transaction(tx -> {
            advanced[0] = counter.advance(tx, self.rng());
            try (IdentityKeys identity = ownIdentityKeys(tx)) {
                return encryptFor(tx, identity, d, bundles.get(d.ref()), plaintext);
            }
        }).orElseThrow(() -> ClientException.refused("no session could be started with device " + d.ref()));
        counter.witness(self.store(), advanced[0]);
        return request(TargetKind.DIRECT, self.user(), Optional.of(id), List.of(entry));
    }

    // ---- rooms ----

    private record RoomPlan(List<Trust.Device> devices, SenderKeyMessage message, List<DeviceBody> entries,
                            List<String> distributed, int chainId) {}

    private SealedMessage room(Target.Room target, String text, MessageId id, Interaction interaction) {
        String room = target.name();
        // the members whose joining the room's signed log shows, not the server's list (docs/crypto.md "Room membership")
        List<String> members = membership.members(room);
        List<Trust.Device> devices = Roster.flat(Roster.approved(self, directory, members, true, ownPending));
        List<Trust.Device> needing = self.store().transaction(tx -> {
            try (RoomKeys keys = loadRoom(tx, room)) {
                return needingChain(keys, devices);
            }
        });
        Map<DeviceRef, PqKeyBundle> bundles = bundlesFor(needing);
        var envelope = envelope(id, room, text, interaction);
        var advanced = new SendCounter.Advanced[1];
        RoomPlan plan = self.store().transaction(tx -> {
            advanced[0] = counter.advance(tx, self.rng());
            try (RoomKeys keys = loadRoom(tx, room); IdentityKeys identity = ownIdentityKeys(tx)) {
                if (mustRotate(keys, devices)) {
                    SenderKeyState fresh = keys.own().map(o -> o.rotate(self.rng()))
                            .orElseGet(() -> SenderKeyState.create(room, self.ref().id(), self.rng()));
                    keys.replaceOwn(fresh);
                }
                SenderKeyState own = keys.own().orElseThrow();
                var distribution = new Envelope.SenderKey(self.ref(), own.distribution()).encode();
                var entries = new ArrayList<DeviceBody>();
                var distributed = new ArrayList<String>();
                for (Trust.Device d : needingChain(keys, devices)) {
                    var entry = encryptFor(tx, identity, d, bundles.get(d.ref()), distribution);
                    if (entry.isPresent()) {
                        entries.add(entry.get());
                        distributed.add(memberKey(d));
                    }
                }
                java.util.Arrays.fill(distribution, (byte) 0);
                // stored before any request leaves: if the SEND fails after SEND_DEVICES went through,
                // a later kick of these devices must still rotate (docs/crypto.md, "Chain holders")
                keys.markOffered(distributed);
                SenderKeyMessage message = own.encrypt(envelope);
                tx.put(RoomKeys.record(room), keys.encode());
                return new RoomPlan(devices, message, entries, distributed, own.chainId());
            }
        });
        java.util.Arrays.fill(envelope, (byte) 0);
        counter.witness(self.store(), advanced[0]);
        var requests = new ArrayList<>(chunks(TargetKind.ROOM, room, Optional.empty(), plan.entries()));
        byte[] body = plan.message().encode();
        requests.add(rid -> new MessageFrame.Send(rid, TargetKind.ROOM, room, id, ALG_SENDER_KEY, body));
        Runnable sent = plan.distributed().isEmpty() ? () -> { } : () -> self.store().transaction(tx -> {
            try (RoomKeys keys = loadRoom(tx, room)) {
                if (keys.own().isPresent() && keys.own().get().chainId() == plan.chainId()) {
                    keys.markDistributed(plan.distributed());
                    tx.put(RoomKeys.record(room), keys.encode());
                }
            }
            return null;
        });
        return new SealedMessage(target, id, requests, sent);
    }

    /** Whether the own chain must be replaced: there is none, or a device that has (or may have) it is no longer a member device. */
    private static boolean mustRotate(RoomKeys keys, List<Trust.Device> devices) {
        if (keys.own().isEmpty()) {
            return true;
        }
        Set<String> current = new LinkedHashSet<>();
        for (Trust.Device d : devices) {
            current.add(memberKey(d));
        }
        return !current.containsAll(keys.mayHold());
    }

    /** The member devices that do not have the current own chain (all of them if it must be replaced). */
    private static List<Trust.Device> needingChain(RoomKeys keys, List<Trust.Device> devices) {
        if (mustRotate(keys, devices)) {
            return devices;
        }
        Set<String> have = keys.distributedTo();
        return devices.stream().filter(d -> !have.contains(memberKey(d))).toList();
    }

    /** A member device as the chain's distribution list names it: user, device and a digest of its identity. */
    static String memberKey(Trust.Device d) {
        try {
            byte[] digest = MessageDigest.getInstance(crumbhub.crypto.Algorithms.SHA256).digest(d.identity());
            return d.ref().id() + "/" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private RoomKeys loadRoom(E2eStore.Tx tx, String room) {
        return tx.get(RoomKeys.record(room)).map(b -> RoomKeys.decode(room, b)).orElseGet(RoomKeys::new);
    }

    // ---- pairwise sessions ----

    /** Bundles for the devices that have no session to send with; fetched outside any transaction. */
    private Map<DeviceRef, PqKeyBundle> bundlesFor(List<Trust.Device> devices) {
        Map<String, List<Integer>> missing = self.store().transaction(tx -> {
            var out = new java.util.LinkedHashMap<String, List<Integer>>();
            for (Trust.Device d : devices) {
                if (sendingSession(tx, d).isEmpty()) {
                    out.computeIfAbsent(d.ref().user(), u -> new ArrayList<>()).add(d.ref().deviceId());
                }
            }
            return out;
        });
        var bundles = new HashMap<DeviceRef, PqKeyBundle>();
        missing.forEach((user, ids) -> {
            for (PqKeyBundle b : directory.bundles(user, ids)) {
                bundles.put(new DeviceRef(user, b.bundle().deviceId()), b);
            }
        });
        return bundles;
    }

    /** The stored sessions with {@code d}, if they are with its current identity and one can send. */
    private static Optional<DeviceSessions> sendingSession(E2eStore.Tx tx, Trust.Device d) {
        String record = DeviceSessions.record(d.ref().user(), d.ref().deviceId());
        Optional<DeviceSessions> stored = tx.get(record).map(b -> DeviceSessions.decode(record, b));
        if (stored.isPresent() && PeerTrust.same(stored.get().identity, d.identity())
                && stored.get().active().map(RatchetSession::canSend).orElse(false)) {
            return stored;
        }
        stored.ifPresent(DeviceSessions::close);
        return Optional.empty();
    }

    /**
     * Encrypts {@code plaintext} for one device with its session, starting one from
     * {@code bundle} when needed, and stores the session. Empty (with a warning) when there is
     * no session and no usable bundle.
     */
    private Optional<DeviceBody> encryptFor(E2eStore.Tx tx, IdentityKeys identity, Trust.Device d, PqKeyBundle bundle,
                                            byte[] plaintext) {
        String record = DeviceSessions.record(d.ref().user(), d.ref().deviceId());
        DeviceSessions sessions = sendingSession(tx, d).orElse(null);
        try {
            if (sessions == null) {
                if (bundle == null) {
                    self.warnings().accept("no keys for device " + d.ref() + " (it may have been removed); skipped it");
                    return Optional.empty();
                }
                if (!PeerTrust.same(bundle.bundle().identity(), d.identity())) {
                    self.warnings().accept("WARNING: the server sent a prekey bundle for device " + d.ref()
                            + " with another identity than it listed; skipped that device");
                    return Optional.empty();
                }
                RatchetSession started;
                try (var initiation = Pqxdh.initiate(identity, toBundle(d, bundle), self.rng())) {
                    started = RatchetSession.initiator(initiation, self.rng());
                } catch (CryptoException e) {
                    self.warnings().accept("WARNING: the prekey bundle of device " + d.ref() + " is invalid ("
                            + e.getMessage() + "); skipped that device");
                    return Optional.empty();
                }
                String fromStore = record;
                sessions = tx.get(fromStore).map(b -> DeviceSessions.decode(fromStore, b))
                        .filter(s -> PeerTrust.same(s.identity, d.identity())).orElseGet(() -> new DeviceSessions(d.identity()));
                sessions.promote(started);
            }
            RatchetSession session = sessions.active().orElseThrow();
            var message = session.encrypt(plaintext);
            byte[] body = new RatchetBody(session.pendingInitialMessage(), message).encode();
            tx.put(record, sessions.encode());
            return Optional.of(new DeviceBody(d.ref().user(), d.ref().deviceId(), body));
        } finally {
            if (sessions != null) {
                sessions.close();
            }
        }
    }

    /**
     * The bundle as PQXDH takes it, under the identity the account approved; {@link Pqxdh#initiate}
     * checks every signature, so a one-time ML-KEM prekey the device did not sign (a server that
     * lies) makes the device skipped with a warning.
     */
    private static PreKeyBundle toBundle(Trust.Device d, PqKeyBundle pq) throws CryptoException {
        var b = pq.bundle();
        Optional<OneTimePreKey> oneTime = b.oneTimePreKey().length == 0 ? Optional.empty()
                : Optional.of(OneTimePreKey.decode(b.oneTimePreKey()));
        Optional<KemPreKey> oneTimeKem = pq.oneTimeKemPreKey().length == 0 ? Optional.empty()
                : Optional.of(KemPreKey.decode(pq.oneTimeKemPreKey()));
        return new PreKeyBundle(d.key(), SignedPreKey.decode(b.signedPreKey()), KemPreKey.decode(b.kemPreKey()), oneTime,
                oneTimeKem);
    }

    private IdentityKeys ownIdentityKeys(E2eStore.Tx tx) {
        try (OwnKeys own = self.ownKeys(tx)) {
            try {
                return IdentityKeys.decodePrivate(own.identity.encodePrivate());
            } catch (CryptoException e) {
                throw new IllegalStateException("re-reading the own identity failed", e);
            }
        }
    }

    // ---- requests ----

    /**
     * SEND_DEVICES requests holding {@code entries}, as few as fit in frames. The first one gets
     * {@code firstId} if given (a direct message keeps its id for de-duplication), others a random id.
     */
    private List<IntFunction<Frame>> chunks(TargetKind kind, String target, Optional<MessageId> firstId,
                                            List<DeviceBody> entries) {
        var requests = new ArrayList<IntFunction<Frame>>();
        int budget = Frame.MAX_PAYLOAD - MessageFrame.SendDevices.fixedLength(target);
        var chunk = new ArrayList<DeviceBody>();
        int used = 0;
        for (DeviceBody e : entries) {
            if (!chunk.isEmpty() && used + e.encodedLength() > budget) {
                requests.add(request(kind, target, requests.isEmpty() ? firstId : Optional.empty(), List.copyOf(chunk)));
                chunk.clear();
                used = 0;
            }
            chunk.add(e);
            used += e.encodedLength();
        }
        if (!chunk.isEmpty()) {
            requests.add(request(kind, target, requests.isEmpty() ? firstId : Optional.empty(), List.copyOf(chunk)));
        }
        return requests;
    }

    private IntFunction<Frame> request(TargetKind kind, String target, Optional<MessageId> id, List<DeviceBody> entries) {
        MessageId wireId = id.orElseGet(() -> MessageId.random(self.rng()));
        return rid -> new MessageFrame.SendDevices(rid, kind, target, wireId, ALG_RATCHET, entries);
    }
}
