package crumbhub.crypto.e2ee;

import crumbhub.crypto.Algorithms;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The symmetric-key chain step of the Double Ratchet (spec section 5.2, KDF_CK) and of Sender
 * Keys: HMAC-SHA256 keyed by the chain key, with input 0x01 for the message key seed and 0x02
 * for the next chain key. Stateless and thread-safe.
 */
public final class ChainKdf {
    public static final int KEY_LENGTH = 32;
    private static final byte[] MESSAGE_KEY_INPUT = {0x01};
    private static final byte[] CHAIN_KEY_INPUT = {0x02};

    private ChainKdf() {}

    /** The message key seed for the current step of {@code chainKey}. */
    public static byte[] messageKey(byte[] chainKey) {
        return hmac(chainKey, MESSAGE_KEY_INPUT);
    }

    /** The chain key of the next step; the caller zeroes the old one. */
    public static byte[] nextChainKey(byte[] chainKey) {
        return hmac(chainKey, CHAIN_KEY_INPUT);
    }

    private static byte[] hmac(byte[] key, byte[] input) {
        if (key.length != KEY_LENGTH) {
            throw new IllegalArgumentException("chain key must be " + KEY_LENGTH + " bytes");
        }
        try {
            var mac = Mac.getInstance(Algorithms.HMAC_SHA256);
            mac.init(new SecretKeySpec(key, Algorithms.HMAC_SHA256));
            return mac.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's " + Algorithms.HMAC_SHA256 + " failed", e);
        }
    }
}
