package crumbhub.crypto.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.crypto.CryptoException;
import crumbhub.crypto.identity.IdentityKeys;
import crumbhub.crypto.identity.SafetyNumber;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AccountIdentityTest {
    private final SecureRandom rng = new SecureRandom();

    @Test
    void certificateVerifiesOnlyForItsAccountDeviceAndIdentity() throws CryptoException {
        try (var account = AccountKeyPair.generate(AccountKeyPair.FIRST_EPOCH, rng);
             var other = AccountKeyPair.generate(AccountKeyPair.FIRST_EPOCH, rng);
             var device = IdentityKeys.generate(rng); var device2 = IdentityKeys.generate(rng)) {
            byte[] id = device.publicKey().encode();
            var cert = DeviceCertificate.decode(DeviceCertificate.issue(account, "alice", 7, id, rng).encode());
            var pub = AccountPublicKey.decode(account.publicKey().encode());
            assertThat(cert.verifies(pub, "alice", 7, id)).isTrue();
            assertThat(cert.verifies(other.publicKey(), "alice", 7, id)).isFalse();
            assertThat(cert.verifies(pub, "bob", 7, id)).isFalse();
            assertThat(cert.verifies(pub, "alice", 8, id)).isFalse();
            assertThat(cert.verifies(pub, "alice", 7, device2.publicKey().encode())).isFalse();
        }
    }

    @Test
    void bothSignaturesMustVerify() throws CryptoException {
        try (var account = AccountKeyPair.generate(1, rng); var device = IdentityKeys.generate(rng)) {
            byte[] id = device.publicKey().encode();
            var cert = DeviceCertificate.issue(account, "alice", 1, id, rng);
            byte[] badMl = cert.signature().mlDsa().clone();
            badMl[10] ^= 1;
            byte[] badEd = cert.signature().ed25519().clone();
            badEd[10] ^= 1;
            var noMl = new DeviceCertificate(1, "alice", 1, id, new AccountSignature(cert.signature().ed25519(), badMl));
            var noEd = new DeviceCertificate(1, "alice", 1, id, new AccountSignature(badEd, cert.signature().mlDsa()));
            assertThat(noMl.verifies(account.publicKey(), "alice", 1, id)).isFalse();
            assertThat(noEd.verifies(account.publicKey(), "alice", 1, id)).isFalse();
        }
    }

    @Test
    void aRotatedIdentityDoesNotAcceptCertificatesOfTheOldEpoch() {
        try (var first = AccountKeyPair.generate(1, rng); var device = IdentityKeys.generate(rng)) {
            byte[] id = device.publicKey().encode();
            var cert = DeviceCertificate.issue(first, "alice", 1, id, rng);
            var forged = new DeviceCertificate(2, "alice", 1, id, cert.signature());
            assertThat(forged.verifies(first.publicKey(), "alice", 1, id)).isFalse();
        }
    }

    @Test
    void privateEncodingRoundTrips() throws CryptoException {
        try (var account = AccountKeyPair.generate(3, rng)) {
            byte[] enc = account.encodePrivate();
            try (var back = AccountKeyPair.decodePrivate(enc)) {
                assertThat(back.publicKey()).isEqualTo(account.publicKey());
                assertThat(back.epoch()).isEqualTo(3);
                byte[] msg = {1, 2, 3};
                assertThat(account.publicKey().verify(msg, back.sign(msg, rng))).isTrue();
            }
        }
    }

    @Test
    void recoveryCodeOpensTheEscrowAndAWrongOneDoesNot() throws CryptoException {
        try (var account = AccountKeyPair.generate(1, rng)) {
            String code = RecoveryEscrow.newCode(rng);
            assertThat(code).matches("([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}");
            byte[] escrow = RecoveryEscrow.seal(code, "alice", account, rng);
            try (var back = RecoveryEscrow.open(code.toLowerCase().replace("-", " "), "alice", escrow)) {
                assertThat(back.publicKey()).isEqualTo(account.publicKey());
            }
            String wrong = (code.charAt(0) == 'A' ? "B" : "A") + code.substring(1);
            assertThatThrownBy(() -> RecoveryEscrow.open(wrong, "alice", escrow)).isInstanceOf(CryptoException.class);
            assertThatThrownBy(() -> RecoveryEscrow.open(code, "mallory", escrow)).isInstanceOf(CryptoException.class);
        }
    }

    @Test
    void approvalCodeDependsOnTheDeviceIdentity() {
        try (var a = IdentityKeys.generate(rng); var b = IdentityKeys.generate(rng)) {
            String code = ApprovalCode.of("alice", 4, a.publicKey().encode());
            assertThat(code).matches("([0-9A-HJKMNP-TV-Z]{4}-){3}[0-9A-HJKMNP-TV-Z]{4}");
            assertThat(ApprovalCode.matches(code.toLowerCase(), "alice", 4, a.publicKey().encode())).isTrue();
            assertThat(ApprovalCode.matches(code, "alice", 4, b.publicKey().encode())).isFalse();
            assertThat(ApprovalCode.matches(code, "alice", 5, a.publicKey().encode())).isFalse();
        }
    }

    @Test
    void accountSafetyNumberIsSymmetricAndCoversOnlyTheAccountKeys() {
        try (var a = AccountKeyPair.generate(1, rng); var b = AccountKeyPair.generate(1, rng);
             var c = AccountKeyPair.generate(1, rng)) {
            var ab = SafetyNumber.ofAccounts("alice", a.publicKey().encode(), "bob", b.publicKey().encode());
            var ba = SafetyNumber.ofAccounts("bob", b.publicKey().encode(), "alice", a.publicKey().encode());
            var ac = SafetyNumber.ofAccounts("alice", a.publicKey().encode(), "bob", c.publicKey().encode());
            assertThat(ab).isEqualTo(ba);
            assertThat(ab).isNotEqualTo(ac);
            assertThat(Arrays.equals(a.publicKey().encode(), b.publicKey().encode())).isFalse();
        }
    }
}
