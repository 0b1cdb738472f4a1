package crumbhub.client.e2e;

import crumbhub.client.message.MessageOpener.Result;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.account.AccountKeyPair;
import crumbhub.crypto.account.DeviceCertificate;

import java.util.Optional;

/**
 * Receiving the account key from the device that approved this one (docs/crypto.md "Approving a
 * device"): it must come from an approved device of this same account (checked before this is
 * called), be the key of the account identity this device pinned, and carry this device's own
 * certificate by that identity. Runs inside the opening transaction.
 */
final class AccountTransfer {
    private AccountTransfer() {}

    static Result receive(E2eStore.Tx tx, Self self, DeviceRef sender, Envelope.AccountKey k) {
        if (!sender.user().equals(self.user())) {
            return new Result.Unreadable("it offers an account key, but it comes from " + sender
                    + ", who is not this account");
        }
        Optional<AccountState> state = AccountState.load(tx);
        if (state.isEmpty()) {
            return new Result.Unreadable("it offers an account key, but this device knows no account identity");
        }
        byte[] identity;
        try (OwnKeys own = self.ownKeys(tx)) {
            identity = own.identity.publicKey().encode();
        }
        try (AccountKeyPair pair = AccountKeyPair.decodePrivate(k.privateKey())) {
            var cert = DeviceCertificate.decode(k.certificate());
            if (!pair.publicKey().equals(state.get().publicKey())
                    || !cert.verifies(pair.publicKey(), self.user(), self.deviceId(), identity)) {
                return new Result.Unreadable("the account key from " + sender + " is not this account's, or does not"
                        + " approve this device");
            }
            tx.put(AccountState.RECORD, new AccountState(pair.publicKey(), Optional.of(pair.encodePrivate()),
                    k.certificate()).encode());
            self.warnings().accept("this device was approved by device " + Integer.toUnsignedString(sender.deviceId())
                    + " of your account");
            return new Result.Control("the account key from " + sender);
        } catch (CryptoException e) {
            return new Result.Unreadable("the account key from " + sender + " is malformed (" + e.getMessage() + ")");
        }
    }
}
