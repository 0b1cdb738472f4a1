package crumbhub.crypto.noise;

import crumbhub.crypto.X25519KeyPair;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;

/**
 * A rough throughput check, not a unit test: XX handshakes per second (both sides, one thread)
 * and transport MB/s through {@link CipherState#encrypt}/{@link CipherState#decrypt}.
 *
 * <pre>
 * mvn -B -q -pl modules/crumbhub.crypto test-compile
 * java -cp modules/crumbhub.crypto/target/classes:modules/crumbhub.crypto/target/test-classes \
 *      crumbhub.crypto.noise.NoiseBenchmark [seconds-per-step]
 * </pre>
 */
public final class NoiseBenchmark {
    private static final byte[] PROLOGUE = "CrumbHub/1".getBytes(StandardCharsets.US_ASCII);
    private static final long SEED = 20_260_101L;

    private NoiseBenchmark() {}

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2.0;
        var rng = SecureRandom.getInstance("SHA1PRNG");
        rng.setSeed(SEED);
        System.out.printf("seed=%d seconds-per-step=%.1f cpus=%d java=%s%n", SEED, seconds,
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        var client = X25519KeyPair.generate(rng);
        var server = X25519KeyPair.generate(rng);

        measureHandshakes(client, server, rng, 0.5); // warm-up
        System.out.printf("XX handshakes/s (initiator + responder, one thread): %.0f%n",
                measureHandshakes(client, server, rng, seconds));

        for (int size : new int[] {256, 16 * 1024, CipherState.MAX_PLAINTEXT_LENGTH}) {
            transport(client, server, rng, size, 0.5);
            System.out.printf("transport, %6d-byte messages: %s%n", size, transport(client, server, rng, size, seconds));
        }
    }

    private static double measureHandshakes(X25519KeyPair client, X25519KeyPair server, SecureRandom rng, double seconds)
            throws NoiseException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        int count = 0;
        while (System.nanoTime() < deadline) {
            handshake(client, server, rng);
            count++;
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    private static TransportState[] handshake(X25519KeyPair client, X25519KeyPair server, SecureRandom rng)
            throws NoiseException {
        var i = HandshakeState.initiator(HandshakePattern.XX, PROLOGUE, client, null, List.of(), rng);
        var r = HandshakeState.responder(HandshakePattern.XX, PROLOGUE, server, null, List.of(), rng);
        r.readMessage(i.writeMessage(new byte[0]));
        i.readMessage(r.writeMessage(new byte[] {1}));
        r.readMessage(i.writeMessage(new byte[] {1}));
        return new TransportState[] {i.split(), r.split()};
    }

    private static String transport(X25519KeyPair client, X25519KeyPair server, SecureRandom rng, int size, double seconds)
            throws NoiseException {
        var pair = handshake(client, server, rng);
        var send = pair[0].send();
        var receive = pair[1].receive();
        var plaintext = ByteBuffer.allocateDirect(size);
        var wire = ByteBuffer.allocateDirect(size + CipherState.TAG_LENGTH);
        var decrypted = ByteBuffer.allocateDirect(size);
        long encryptNanos = 0;
        long decryptNanos = 0;
        long bytes = 0;
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < deadline) {
            plaintext.clear();
            wire.clear();
            long t0 = System.nanoTime();
            send.encrypt(plaintext, wire);
            long t1 = System.nanoTime();
            wire.flip();
            decrypted.clear();
            receive.decrypt(wire, decrypted);
            long t2 = System.nanoTime();
            encryptNanos += t1 - t0;
            decryptNanos += t2 - t1;
            bytes += size;
        }
        return String.format("encrypt %.0f MB/s, decrypt %.0f MB/s", bytes / (encryptNanos / 1e3), bytes / (decryptNanos / 1e3));
    }
}
