package crumbhub.crypto;

import java.security.SecureRandom;

/** A deterministic {@link SecureRandom} for tests: a counter stream from a seed. Never for production. */
public final class FixedRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private long state;

    public FixedRandom(long seed) {
        super(new byte[0]);
        this.state = seed;
    }

    @Override
    public synchronized void nextBytes(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            state = state * 6364136223846793005L + 1442695040888963407L;
            bytes[i] = (byte) (state >>> 56);
        }
    }
}
