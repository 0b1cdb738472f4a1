package crumbhub.crypto;

import static org.assertj.core.api.Assertions.assertThatCode;

import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import javax.crypto.Cipher;
import javax.crypto.KDF;
import javax.crypto.KEM;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import org.junit.jupiter.api.Test;

class AlgorithmsTest {
    @Test
    void everyAlgorithmNameIsProvidedByTheJdk() {
        assertThatCode(() -> {
            Cipher.getInstance(Algorithms.AES_GCM);
            KeyPairGenerator.getInstance(Algorithms.X25519);
            KeyPairGenerator.getInstance(Algorithms.ED25519);
            MessageDigest.getInstance(Algorithms.SHA256);
            Mac.getInstance(Algorithms.HMAC_SHA256);
            KDF.getInstance(Algorithms.HKDF_SHA256);
            SecretKeyFactory.getInstance(Algorithms.PBKDF2_SHA256);
            KeyPairGenerator.getInstance(Algorithms.ML_KEM_768);
            KEM.getInstance(Algorithms.ML_KEM);
            KeyPairGenerator.getInstance(Algorithms.ML_DSA_65);
            java.security.Signature.getInstance(Algorithms.ML_DSA);
        }).doesNotThrowAnyException();
    }
}
