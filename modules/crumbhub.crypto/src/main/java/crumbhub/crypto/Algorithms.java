package crumbhub.crypto;

/** Every JCA algorithm name CrumbHub uses, in one place. */
public final class Algorithms {
    public static final String AES_GCM = "AES/GCM/NoPadding";
    public static final String AES = "AES";
    public static final String X25519 = "X25519";
    public static final String ED25519 = "Ed25519";
    public static final String SHA256 = "SHA-256";
    public static final String HMAC_SHA256 = "HmacSHA256";
    public static final String HKDF_SHA256 = "HKDF-SHA256";
    public static final String PBKDF2_SHA256 = "PBKDF2WithHmacSHA256";
    public static final String ML_KEM_768 = "ML-KEM-768";
    public static final String ML_KEM = "ML-KEM";
    public static final String ML_DSA_65 = "ML-DSA-65";
    public static final String ML_DSA = "ML-DSA";

    private Algorithms() {}
}
