package crumbhub.client.e2e;

import crumbhub.client.message.Delivery;
import crumbhub.client.message.MessageOpener.Result;
import crumbhub.client.message.Target;
import crumbhub.crypto.Algorithms;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.group.SenderKeyMessage;
import crumbhub.crypto.group.SenderKeyState;
import crumbhub.crypto.pqxdh.InitialMessage;
import crumbhub.crypto.pqxdh.Pqxdh;
import crumbhub.crypto.ratchet.RatchetSession;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Opening (docs/design.md §5): {@code alg 1} bodies with the pairwise session of the sending device
 * (set up from the PQXDH initial message they carry when there is none yet), {@code alg 2}
 * bodies with the sender-key chain that device distributed for the room. Plaintext ({@code alg 0})
 * is never shown: the server or a client that does not encrypt could have written anything.
 *
 * <p>One store transaction per delivery. Every decryption is transactional in the crypto module,
 * so a forged or replayed body changes nothing; a body that opens is remembered
 * ({@link RecentResults}) in the same record as the advanced session or room keys, so a crash
 * before the acknowledgement shows the same message again rather than a failure. A room key
 * that arrives is stored before the session record that remembers it.
 */
final class BodyOpener {
    private final Self self;

    BodyOpener(Self self) {
        this.self = self;
    }

    /**
     * Thrown inside the transaction (which then writes nothing) when the sending device is not
     * known to be approved or refused from the pins alone: the caller fetches the server's listing
     * of that account and opens the delivery again with it.
     */
    static final class NeedsListing extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient DeviceRef sender;

        NeedsListing(DeviceRef sender) {
            super("the account listing of " + sender.user() + " is needed", null, false, false);
            this.sender = sender;
        }
    }

    /**
     * Opens {@code in}; {@code listing} is the server's listing of the sender's account, or null
     * to decide from the pins alone (then {@link NeedsListing} may be thrown).
     */
    Result open(Delivery in, Trust.Listing listing) {
        byte[] key = cacheKey(in);
        return self.store().transaction(tx -> {
            SkippedKeyExpiry.sweep(tx, self.clock().millis());
            return openIn(tx, in, key, listing);
        });
    }

    private Result openIn(E2eStore.Tx tx, Delivery in, byte[] key, Trust.Listing listing) {
        return switch (in.body().alg()) {
            case 0 -> new Result.Unreadable("it is not end-to-end encrypted (a client or server that does not"
                    + " encrypt sent it), so it is not shown");
            case BodySealer.ALG_RATCHET -> pairwise(tx, in, key, listing);
            case BodySealer.ALG_SENDER_KEY -> room(tx, in, key);
            default -> new Result.Unreadable("it uses encryption " + in.body().alg() + ", which this client does not know");
        };
    }

    // ---- alg 1: pairwise ----

    private Result pairwise(E2eStore.Tx tx, Delivery in, byte[] key, Trust.Listing listing) {
        var sender = new DeviceRef(in.from(), in.fromDevice());
        String record = DeviceSessions.record(sender.user(), sender.deviceId());
        DeviceSessions sessions = tx.get(record).map(b -> DeviceSessions.decode(record, b)).orElse(null);
        if (sessions != null && sessions.recent().get(key).isPresent()) {
            Result again = sessions.recent().get(key).get();
            sessions.close();
            return throughWindow(tx, sender, in, again, true);
        }
        RatchetBody body;
        Optional<InitialMessage> initial;
        try {
            body = RatchetBody.decode(in.body().body());
            initial = body.initialMessage();
        } catch (Malformed e) {
            if (sessions != null) {
                sessions.close();
            }
            return new Result.Unreadable("its body is malformed (" + e.getMessage() + ")");
        }
        OwnKeys own = null;
        RecentResults recent = sessions == null ? new RecentResults() : sessions.recent();
        RatchetSession fresh = null;
        try {
            byte[] plaintext = null;
            RatchetSession used = null;
            int consumed = -1;
            int consumedKem = -1;
            byte[] identity = sessions == null ? null : sessions.identity;
            if (initial.isPresent()) {
                identity = initial.get().initiator().encode();
                if (sessions != null && !PeerTrust.same(sessions.identity, identity)) {
                    sessions.close();
                    sessions = null;
                }
                var known = sessions == null ? Optional.<RatchetSession>empty()
                        : sessions.withBaseKey(initial.get().ephemeralKey());
                if (known.isPresent()) {
                    used = known.get();
                    plaintext = decrypt(used, body);
                } else {
                    own = self.ownKeys(tx);
                    try (var response = Pqxdh.respond(own.identity, own, initial.get())) {
                        fresh = RatchetSession.responder(response);
                        consumed = response.consumedOneTimePreKey().orElse(-1);
                        consumedKem = response.consumedOneTimeKemPreKey().orElse(-1);
                    } catch (CryptoException e) {
                        return new Result.Unreadable("the session " + sender + " started cannot be set up ("
                                + e.getMessage() + ")");
                    }
                    plaintext = decrypt(fresh, body);
                    used = fresh;
                }
            } else if (sessions != null) {
                for (RatchetSession s : sessions.all()) {
                    plaintext = decrypt(s, body);
                    if (plaintext != null) {
                        used = s;
                        break;
                    }
                }
            } else {
                return new Result.Unreadable("there is no session with " + sender + " (the message that started it"
                        + " did not arrive)");
            }
            if (plaintext == null) {
                return new Result.Unreadable("it does not decrypt with the session of " + sender
                        + " (already read, or forged)");
            }
            // docs/crypto.md "Device certificates": only a device its account approved speaks for the user
            switch (Trust.admit(tx, self, sender, identity, listing)) {
                case Trust.Verdict.Approved a -> { }
                case Trust.Verdict.Refused r -> {
                    Arrays.fill(plaintext, (byte) 0);
                    return new Result.Unreadable(r.reason());
                }
                case Trust.Verdict.Unknown u -> {
                    Arrays.fill(plaintext, (byte) 0);
                    throw new NeedsListing(sender);
                }
            }
            Result result = pairwiseContent(tx, in, sender, plaintext);
            Arrays.fill(plaintext, (byte) 0);
            if (result instanceof Result.Unreadable) {
                return result;
            }
            result = throughWindow(tx, sender, in, result, false);
            if (sessions == null) {
                sessions = new DeviceSessions(identity);
                sessions.keepRecent(recent);
            }
            sessions.promote(used);
            sessions.recent().put(key, result);
            fresh = null;
            SkippedKeyExpiry.note(tx, record, sessions.oldestSkippedKeyMs());
            tx.put(record, sessions.encode());
            // PQXDH: each one-time prekey (X25519 and ML-KEM) starts one session only; deleted (zeroed)
            // in the transaction that stores the session, so a second initial message naming it fails
            if (consumed >= 0 || consumedKem >= 0) {
                if (consumed >= 0) {
                    own.consume(consumed);
                }
                if (consumedKem >= 0) {
                    own.consumeKem(consumedKem);
                }
                tx.put(OwnKeys.RECORD, own.encode());
            }
            return result;
        } finally {
            if (fresh != null) {
                fresh.close();
            }
            if (sessions != null) {
                sessions.close();
            }
            if (own != null) {
                own.close();
            }
        }
    }

    /** The plaintext, or null if the message does not decrypt in {@code session} (which is then unchanged). */
    private byte[] decrypt(RatchetSession session, RatchetBody body) {
        try {
            return session.decrypt(body.message(), self.rng(), self.clock().millis());
        } catch (CryptoException e) {
            return null;
        }
    }

    /** What a pairwise message holds: a direct message's text, or a room's sender key. */
    private Result pairwiseContent(E2eStore.Tx tx, Delivery in, DeviceRef sender, byte[] plaintext) {
        Envelope envelope;
        try {
            envelope = Envelope.decode(plaintext);
        } catch (Malformed e) {
            return new Result.Unreadable("its content is malformed (" + e.getMessage() + ")");
        }
        if (!envelope.sender().equals(sender)) {
            return new Result.Unreadable("it was written by " + envelope.sender() + " but delivered as from " + sender);
        }
        return switch (envelope) {
            case Envelope.Text t -> {
                if (!(in.target() instanceof Target.Direct direct) || !direct.name().equals(t.target())) {
                    yield new Result.Unreadable("it was written for " + t.target() + " but delivered as "
                            + in.target().display());
                }
                yield opened(t);
            }
            case Envelope.Act a -> {
                if (!(in.target() instanceof Target.Direct direct) || !direct.name().equals(a.target())) {
                    yield new Result.Unreadable("it was written for " + a.target() + " but delivered as "
                            + in.target().display());
                }
                yield opened(a);
            }
            case Envelope.Unknown u -> unknown(u);
            case Envelope.AccountKey k -> {
                try {
                    yield AccountTransfer.receive(tx, self, sender, k);
                } finally {
                    Arrays.fill(k.privateKey(), (byte) 0);
                }
            }
            case Envelope.SenderKey k -> {
                if (!(in.target() instanceof Target.Room room) || !room.name().equals(k.distribution().roomId())) {
                    yield new Result.Unreadable("a room key for #" + k.distribution().roomId() + " was delivered as "
                            + in.target().display());
                }
                try (RoomKeys keys = loadRoom(tx, room.name())) {
                    keys.addReceived(sender, SenderKeyState.fromDistribution(sender.id(), k.distribution()));
                    tx.put(RoomKeys.record(room.name()), keys.encode());
                }
                yield new Result.Control("the room key of " + sender + " for #" + room.name());
            }
        };
    }

    // ---- alg 2: sender keys ----

    private Result room(E2eStore.Tx tx, Delivery in, byte[] key) {
        if (!(in.target() instanceof Target.Room target)) {
            return new Result.Unreadable("a room message was delivered as " + in.target().display());
        }
        var sender = new DeviceRef(in.from(), in.fromDevice());
        SenderKeyMessage message;
        try {
            message = SenderKeyMessage.decode(in.body().body());
        } catch (CryptoException e) {
            return new Result.Unreadable("its body is malformed (" + e.getMessage() + ")");
        }
        try (RoomKeys keys = loadRoom(tx, target.name())) {
            var again = keys.recent().get(key);
            if (again.isPresent()) {
                return throughWindow(tx, sender, in, again.get(), true);
            }
            var chain = keys.chain(sender, message.chainId());
            if (chain.isEmpty()) {
                return new Result.Unreadable("this device has no key for it: it was sent before this device joined "
                        + target.display() + ", or the sender's key has not reached this device");
            }
            byte[] plaintext;
            try {
                plaintext = chain.get().decrypt(message, self.clock().millis());
            } catch (CryptoException e) {
                return new Result.Unreadable("it does not decrypt with the room key of " + sender + " ("
                        + e.getMessage() + ")");
            }
            Envelope envelope;
            try {
                envelope = Envelope.decode(plaintext);
            } catch (Malformed e) {
                return new Result.Unreadable("its content is malformed (" + e.getMessage() + ")");
            } finally {
                Arrays.fill(plaintext, (byte) 0);
            }
            Result.Opened shown;
            String writtenFor;
            switch (envelope) {
                case Envelope.Text t -> {
                    shown = opened(t);
                    writtenFor = t.target();
                }
                case Envelope.Act a -> {
                    shown = opened(a);
                    writtenFor = a.target();
                }
                case Envelope.Unknown u when u.sender().equals(sender) -> {
                    Result skipped = unknown(u);
                    keys.recent().put(key, skipped);
                    tx.put(RoomKeys.record(target.name()), keys.encode());
                    return skipped;
                }
                default -> {
                    shown = null;
                    writtenFor = null;
                }
            }
            if (shown == null || !writtenFor.equals(target.name()) || !envelope.sender().equals(sender)) {
                return new Result.Unreadable("its content was not written for " + target.display() + " by " + sender);
            }
            Result result = throughWindow(tx, sender, in, shown, false);
            keys.recent().put(key, result);
            SkippedKeyExpiry.note(tx, RoomKeys.record(target.name()), keys.oldestSkippedKeyMs());
            tx.put(RoomKeys.record(target.name()), keys.encode());
            return result;
        }
    }

    /**
     * The result to show for a delivery that opened, after the sender device's replay window
     * ({@link ReplayWindow}, docs/crypto.md "Replay window"): a message whose envelope id was
     * shown before under another seq becomes a {@link Result.Control} that shows nothing. A new
     * id is put into the window before the caller puts the record that remembers the result, so
     * a crash between the two never leaves a remembered result without its id.
     */
    private Result throughWindow(E2eStore.Tx tx, DeviceRef sender, Delivery in, Result result, boolean fromCache) {
        if (!(result instanceof Result.Opened opened)) {
            return result;
        }
        ReplayWindow window = ReplayWindow.load(tx, sender);
        return switch (window.check(opened.id(), in.seq(), fromCache)) {
            case NEW -> {
                window.add(opened.id(), in.seq(), self.clock().millis());
                tx.put(ReplayWindow.record(sender), window.encode());
                yield result;
            }
            case SAME_DELIVERY -> result;
            case REPLAY, FORGOTTEN -> new Result.Control("a repeat of message " + opened.id() + " from " + sender
                    + " under a new seq (a replay); not shown again");
        };
    }

    /** What a text envelope shows: its text, id and the sender's time (none in a version 1 envelope). */
    private static Result.Opened opened(Envelope.Text t) {
        return new Result.Opened(t.id(), t.text(), t.sentAtMs() < 0 ? null : java.time.Instant.ofEpochMilli(t.sentAtMs()));
    }

    /** A reply, reaction, edit or delete: its text and what it refers to, with the sender's time. */
    private static Result.Opened opened(Envelope.Act a) {
        return new Result.Opened(a.id(), a.text(), java.time.Instant.ofEpochMilli(a.sentAtMs()), a.interaction());
    }

    /**
     * An envelope type a later client added: handled (acknowledged, never shown, no warning), so
     * a new kind of event never reaches an older client's user as an error (docs/crypto.md "Envelope").
     */
    private static Result.Control unknown(Envelope.Unknown u) {
        return new Result.Control("an envelope of type " + u.type() + " from " + u.sender()
                + ", which this client does not know (skipped)");
    }

    private static RoomKeys loadRoom(E2eStore.Tx tx, String room) {
        return tx.get(RoomKeys.record(room)).map(b -> RoomKeys.decode(room, b)).orElseGet(RoomKeys::new);
    }

    /** SHA-256 over who sent the delivery and its body: the same delivery always has the same key. */
    private static byte[] cacheKey(Delivery in) {
        try {
            var md = MessageDigest.getInstance(Algorithms.SHA256);
            md.update(in.from().getBytes(StandardCharsets.UTF_8));
            md.update(new byte[] {0, (byte) (in.fromDevice() >>> 24), (byte) (in.fromDevice() >>> 16),
                    (byte) (in.fromDevice() >>> 8), (byte) in.fromDevice(), (byte) in.body().alg()});
            md.update(in.target().display().getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(in.body().body());
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
