package crumbhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.crypto.X25519KeyPair;
import crumbhub.crypto.noise.HandshakePattern;
import crumbhub.crypto.noise.HandshakeState;
import crumbhub.crypto.noise.TransportState;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Garbage before, during and after the handshake, and lying lengths: only that connection is closed. */
class HostileInputTest {
    private static final byte[] PROLOGUE = "CrumbHub/1".getBytes(StandardCharsets.US_ASCII);

    @Test
    void garbageAndLyingLengthsCloseOnlyTheOffendingConnection(@TempDir Path tmp) throws Exception {
        try (ServerProcess server = ServerProcess.start(tmp.resolve("data"), 0)) {
            ClientHome alice = new ClientHome("alice", tmp.resolve("alice"));
            ClientHome bob = new ClientHome("bob", tmp.resolve("bob"));
            alice.register(server, "alice password 4");
            bob.register(server, "bob password 4");

            Random random = new Random(42);
            // an honest connection stays open across all the abuse
            try (Handshaken bystander = handshaken(server.port)) {
                for (int round = 0; round < 5; round++) {
                    byte[] junk = new byte[1 + random.nextInt(3000)];
                    random.nextBytes(junk);
                    assertClosedBy(server, junk);                             // before the handshake
                }
                assertClosedBy(server, new byte[] {(byte) 0xff, (byte) 0xff, 1, 2, 3}); // lying Noise length

                try (Handshaken h = handshakenUntilMessage2(server.port)) {   // during the handshake
                    byte[] junk = new byte[64];
                    random.nextBytes(junk);
                    h.out.write(lengthPrefixed(junk));
                    h.out.flush();
                    assertThat(readsToEof(h.socket)).isTrue();
                }
                try (Handshaken h = handshaken(server.port)) {                 // after: garbage ciphertext
                    byte[] junk = new byte[200];
                    random.nextBytes(junk);
                    h.out.write(lengthPrefixed(junk));
                    h.out.flush();
                    assertThat(readsToEof(h.socket)).isTrue();
                }
                try (Handshaken h = handshaken(server.port)) {                 // after: a frame with a lying length
                    ByteBuffer frame = ByteBuffer.allocate(11);
                    frame.putShort((short) 60_000).put((byte) 0x40).putInt(7).putInt(0);
                    h.out.write(lengthPrefixed(h.transport.send().encryptWithAd(new byte[0], frame.array())));
                    h.out.flush();
                    assertThat(readsToEof(h.socket)).isTrue();
                }
                assertThat(server.process.isAlive()).isTrue();
                assertThat(ping(bystander, 0x1234_5678_9abcL)).as("the honest connection still answers").isTrue();
            }
            alice.ok("send", "@bob", "still here");
            assertThat(bob.listenJson(1, 20)).extracting(m -> m.get("text")).containsExactly("still here");
        }
    }

    /** Sends PING over an established connection and expects the matching PONG. */
    private static boolean ping(Handshaken h, long nonce) throws Exception {
        ByteBuffer frame = ByteBuffer.allocate(15);
        frame.putShort((short) 13).put((byte) 0x40).putInt(9).putLong(nonce);
        h.out.write(lengthPrefixed(h.transport.send().encryptWithAd(new byte[0], frame.array())));
        h.out.flush();
        byte[] reply = new byte[h.in.readUnsignedShort()];
        h.in.readFully(reply);
        ByteBuffer plain = ByteBuffer.wrap(h.transport.receive().decryptWithAd(new byte[0], reply));
        int length = plain.getShort() & 0xffff;
        return length == 13 && plain.get() == 0x41 && plain.getInt() == 9 && plain.getLong() == nonce;
    }

    private static void assertClosedBy(ServerProcess server, byte[] bytes) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port), 5_000);
            try {
                s.getOutputStream().write(bytes);
                s.getOutputStream().flush();
            } catch (IOException e) {
                return; // already closed by the server: fine
            }
            assertThat(readsToEof(s)).as("server closes a connection that sent garbage").isTrue();
        }
    }

    /** True when the server closes the connection within the handshake timeout (plus slack). */
    private static boolean readsToEof(Socket s) throws IOException {
        s.setSoTimeout(15_000);
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        try {
            while (in.read(buf) >= 0) {
                // discard whatever the server says before it closes
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // connection reset also means closed
        }
    }

    private static byte[] lengthPrefixed(byte[] message) {
        return ByteBuffer.allocate(2 + message.length).putShort((short) message.length).put(message).array();
    }

    record Handshaken(Socket socket, OutputStream out, DataInputStream in, TransportState transport) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static Handshaken handshakenUntilMessage2(int port) throws Exception {
        return connect(port, false);
    }

    private static Handshaken handshaken(int port) throws Exception {
        return connect(port, true);
    }

    private static Handshaken connect(int port, boolean finish) throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(15_000);
        SecureRandom rng = new SecureRandom();
        HandshakeState hs = HandshakeState.initiator(HandshakePattern.XX, PROLOGUE, X25519KeyPair.generate(rng), null, List.of(), rng);
        OutputStream out = s.getOutputStream();
        DataInputStream in = new DataInputStream(s.getInputStream());
        out.write(lengthPrefixed(hs.writeMessage(new byte[0])));
        out.flush();
        byte[] m2 = new byte[in.readUnsignedShort()];
        in.readFully(m2);
        hs.readMessage(m2);
        if (!finish) {
            return new Handshaken(s, out, in, null);
        }
        out.write(lengthPrefixed(hs.writeMessage(new byte[] {1})));
        out.flush();
        return new Handshaken(s, out, in, hs.split());
    }
}
