package crumbhub.client.e2e;

import crumbhub.client.ClientException;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.account.AccountKeyPair;
import crumbhub.crypto.account.AccountPublicKey;
import crumbhub.crypto.account.ApprovalCode;
import crumbhub.crypto.account.DeviceCertificate;
import crumbhub.crypto.account.RecoveryEscrow;
import crumbhub.wire.AccountFrame;
import crumbhub.wire.DeviceKey;
import crumbhub.wire.MessageId;

import java.util.List;
import java.util.Optional;

/**
 * The account identity's life on this device (docs/crypto.md "Account identity"): made at
 * {@code register}, recovered from the escrow with the recovery code, learnt as a pending
 * device at {@code login}, and used to approve another device. Blocking (network), called
 * from the application thread; the store is never locked across a network call.
 */
final class AccountSetup {
    /** Marks an account identity made or recovered here that the server has not confirmed yet. */
    private static final String UNPUBLISHED = "account-unpublished";

    private final Self self;
    private final KeyDirectory directory;

    AccountSetup(Self self, KeyDirectory directory) {
        this.self = self;
        this.directory = directory;
    }

    /** What a pending device shows: its id and approval code. */
    record Pending(int deviceId, String code) {}

    /**
     * A new account identity, with this device approved by it and the key escrowed under a new
     * recovery code, which is returned (shown once, never stored). Blocking, network.
     */
    String create() {
        String code = RecoveryEscrow.newCode(self.rng());
        self.store().transaction(tx -> {
            try (AccountKeyPair pair = AccountKeyPair.generate(AccountKeyPair.FIRST_EPOCH, self.rng())) {
                store(tx, pair);
                tx.put(UNPUBLISHED, RecoveryEscrow.seal(code, self.user(), pair, self.rng()));
            }
            return null;
        });
        publishIfNeeded();
        return code;
    }

    private record Unpublished(AccountState state, byte[] escrow) {}

    /** Publishes an identity made or recovered here that the server has not confirmed yet. */
    void publishIfNeeded() {
        var pending = self.store().transaction(tx -> tx.get(UNPUBLISHED).flatMap(escrow ->
                AccountState.load(tx).map(a -> new Unpublished(a, escrow))));
        if (pending.isEmpty()) {
            return;
        }
        var state = pending.get().state();
        directory.publishAccount(state.publicKey().encode(), pending.get().escrow(),
                List.of(new AccountFrame.Certificate(self.deviceId(), state.certificate())));
        self.store().transaction(tx -> {
            tx.delete(UNPUBLISHED);
            return null;
        });
    }

    /**
     * Approves this device with the recovery code: opens the escrow the server keeps, signs this
     * device's certificate and publishes it. Blocking, network.
     *
     * @throws ClientException refused if the account has no escrow or the code does not open it
     */
    void recover(String code) {
        var listing = directory.account(self.user(), List.of());
        if (listing.escrow().length == 0) {
            throw ClientException.refused("the server keeps no recovery escrow for " + self.user());
        }
        try (AccountKeyPair pair = RecoveryEscrow.open(code, self.user(), listing.escrow())) {
            if (listing.listing().account().length > 0
                    && !PeerTrust.same(listing.listing().account(), pair.publicKey().encode())) {
                self.warnings().accept("WARNING: the server lists another account identity than the one your recovery"
                        + " code opens; using the recovered one");
            }
            self.store().transaction(tx -> {
                store(tx, pair);
                tx.put(UNPUBLISHED, new byte[0]);
                return null;
            });
        } catch (CryptoException e) {
            throw ClientException.refused("the recovery code does not open this account's key (mistyped?)");
        }
        publishIfNeeded();
    }

    /** Makes {@code pair} this device's account identity, with this device's certificate. */
    private void store(E2eStore.Tx tx, AccountKeyPair pair) {
        byte[] identity;
        try (OwnKeys own = self.ownKeys(tx)) {
            identity = own.identity.publicKey().encode();
        }
        var cert = DeviceCertificate.issue(pair, self.user(), self.deviceId(), identity, self.rng());
        tx.put(AccountState.RECORD, new AccountState(pair.publicKey(), Optional.of(pair.encodePrivate()),
                cert.encode()).encode());
        PeerTrust trust = Trust.load(tx, self.user());
        trust.pinAccount(pair.publicKey().encode());
        tx.put(PeerTrust.record(self.user()), trust.encode());
    }

    /**
     * Learns the account identity as the server lists it and makes this device pending (or
     * approved, if the server already holds a certificate for it that verifies). Empty if the
     * account has no identity yet. Blocking, network.
     */
    Optional<Pending> joinPending() {
        var listing = directory.account(self.user(), List.of(self.deviceId())).listing();
        if (listing.account().length == 0) {
            return Optional.empty();
        }
        AccountPublicKey account;
        try {
            account = AccountPublicKey.decode(listing.account());
        } catch (CryptoException e) {
            throw ClientException.refused("the server sent an invalid account identity for " + self.user());
        }
        return self.store().transaction(tx -> {
            byte[] identity;
            try (OwnKeys own = self.ownKeys(tx)) {
                identity = own.identity.publicKey().encode();
            }
            byte[] cert = listing.certificates().getOrDefault(self.deviceId(), new byte[0]);
            boolean valid = cert.length > 0 && verifies(cert, account, identity);
            var old = AccountState.load(tx);
            Optional<byte[]> priv = old.filter(a -> a.publicKey().equals(account)).flatMap(AccountState::privateKey);
            tx.put(AccountState.RECORD, new AccountState(account, priv, valid ? cert : new byte[0]).encode());
            PeerTrust trust = Trust.load(tx, self.user());
            trust.pinAccount(account.encode());
            tx.put(PeerTrust.record(self.user()), trust.encode());
            return valid ? Optional.<Pending>empty() : Optional.of(new Pending(self.deviceId(),
                    ApprovalCode.of(self.user(), self.deviceId(), identity)));
        });
    }

    private boolean verifies(byte[] cert, AccountPublicKey account, byte[] identity) {
        try {
            return DeviceCertificate.decode(cert).verifies(account, self.user(), self.deviceId(), identity);
        } catch (CryptoException e) {
            return false;
        }
    }

    /**
     * While this device is pending, asks whether an approved device has published its certificate
     * since (the account key itself arrives as a message). Blocking, network; nothing once approved.
     */
    void refreshIfPending() {
        var state = self.store().transaction(AccountState::load);
        if (state.isPresent() && state.get().approved()) {
            return;
        }
        if (state.isEmpty() && self.store().transaction(tx -> tx.get(OwnKeys.RECORD)).isEmpty()) {
            return;
        }
        if (joinPending().isEmpty() && state.isEmpty()) {
            // a device from before account identities, on an account that has none yet: it makes it
            String code = create();
            self.warnings().accept("your account has a new account identity. recovery code: " + code
                    + "  (write it down: it is the only way back into your account if every device is lost)");
        }
    }

    /**
     * Approves device {@code deviceId} of this account after checking {@code code} against the
     * identity the server lists for it: signs its certificate, publishes it and sends it the
     * account key. Blocking, network.
     *
     * @throws ClientException usage if the code does not match (nothing is signed), refused if the
     *     device is unknown or this device does not hold the account key
     */
    void approve(int deviceId, String code, BodySealer sealer) {
        String id = Integer.toUnsignedString(deviceId);
        var state = self.store().transaction(AccountState::load);
        if (state.isEmpty() || state.get().privateKey().isEmpty() || !state.get().approved()) {
            throw ClientException.refused("this device cannot approve others: it does not hold the account key yet"
                    + " (it is pending, or its approval message has not arrived: run crumbhub-client listen)");
        }
        if (deviceId == self.deviceId()) {
            throw ClientException.usage("device " + id + " is this device");
        }
        DeviceKey listed = directory.identities(List.of(self.user())).getOrDefault(self.user(), List.of()).stream()
                .filter(k -> k.deviceId() == deviceId).findFirst()
                .orElseThrow(() -> ClientException.refused("device " + id + " is not an active device of your account"
                        + " with keys"));
        if (!ApprovalCode.matches(code, self.user(), deviceId, listed.identity())) {
            throw ClientException.usage("the approval code does not match device " + id + ": nothing was approved."
                    + " Check the code it shows; if it is right, the server may have swapped its key");
        }
        byte[] cert;
        byte[] secret;
        try (AccountKeyPair pair = state.get().keyPair().orElseThrow()) {
            cert = DeviceCertificate.issue(pair, self.user(), deviceId, listed.identity(), self.rng()).encode();
            secret = pair.encodePrivate();
        }
        try {
            directory.publishAccount(new byte[0], new byte[0], List.of(new AccountFrame.Certificate(deviceId, cert)));
            self.store().transaction(tx -> {
                PeerTrust trust = Trust.load(tx, self.user());
                trust.certify(deviceId, listed.identity());
                tx.put(PeerTrust.record(self.user()), trust.encode());
                return null;
            });
            byte[] envelope = new Envelope.AccountKey(self.ref(), secret, cert).encode();
            try {
                var request = sealer.sealForOwnDevice(new Trust.Device(new DeviceRef(self.user(), deviceId),
                        listed.identity()), envelope, MessageId.random(self.rng()));
                directory.send("approve device " + id, request);
            } finally {
                java.util.Arrays.fill(envelope, (byte) 0);
            }
        } finally {
            java.util.Arrays.fill(secret, (byte) 0);
        }
    }
}
