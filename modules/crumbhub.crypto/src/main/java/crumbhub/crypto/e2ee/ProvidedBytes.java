package crumbhub.crypto.e2ee;

import crumbhub.crypto.Bytes;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;

/**
 * A {@link SecureRandom} that hands out exactly the bytes it was given, then fails. It lets a JDK
 * key generator, which only takes its secret from a {@code SecureRandom}, derive a key pair from
 * secret bytes we already hold (an Ed25519 seed, an ML-KEM {@code d || z}). If a provider ever
 * asked for more or other bytes than expected, the generator fails loudly instead of silently
 * drawing fresh randomness. Not thread-safe; single use.
 */
public final class ProvidedBytes extends SecureRandom {
    private static final long serialVersionUID = 1L;

    private final transient Spi spi;

    private ProvidedBytes(Spi spi) {
        super(spi, null);
        this.spi = spi;
    }

    /** A generator serving {@code bytes} (copied) in order. */
    public static ProvidedBytes of(byte[] bytes) {
        return new ProvidedBytes(new Spi(bytes.clone()));
    }

    /** Whether every byte was consumed. */
    public boolean exhausted() {
        return spi.at == spi.bytes.length;
    }

    /** Zeroes the bytes held. */
    public void wipe() {
        Bytes.zero(spi.bytes);
    }

    private static final class Spi extends SecureRandomSpi {
        private static final long serialVersionUID = 1L;
        private final byte[] bytes;
        private int at;

        Spi(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        protected void engineSetSeed(byte[] seed) {
            throw new UnsupportedOperationException("ProvidedBytes cannot be reseeded");
        }

        @Override
        protected void engineNextBytes(byte[] out) {
            if (bytes.length - at < out.length) {
                throw new IllegalStateException("key generator asked for more bytes than provided");
            }
            System.arraycopy(bytes, at, out, 0, out.length);
            at += out.length;
        }

        @Override
        protected byte[] engineGenerateSeed(int numBytes) {
            throw new UnsupportedOperationException("ProvidedBytes has no entropy source");
        }
    }
}
