package crumbhub.wire.net;

import crumbhub.crypto.X25519KeyPair;
import crumbhub.crypto.noise.HandshakePattern;
import crumbhub.crypto.noise.HandshakeState;
import crumbhub.crypto.noise.TransportState;
import crumbhub.wire.Frame;
import crumbhub.wire.FrameCodec;
import crumbhub.wire.Protocol;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;

/**
 * A blocking, hand-driven client that speaks the protocol byte by byte, so tests can send what
 * a well-behaved NoiseConnection never would: garbage, lying lengths, malformed frames.
 */
final class RawNoisePeer implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private TransportState transport;

    RawNoisePeer(InetSocketAddress server) throws IOException {
        socket = new Socket();
        socket.connect(server, 5_000);
        socket.setSoTimeout(5_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void writeMessage(byte[] message) throws IOException {
        writeRaw(ByteBuffer.allocate(2 + message.length).putShort((short) message.length).put(message).array());
    }

    byte[] readMessage() throws IOException {
        int len = in.readUnsignedShort();
        byte[] m = new byte[len];
        in.readFully(m);
        return m;
    }

    /** Runs the XX handshake as the initiator with {@code key}. */
    void handshake(X25519KeyPair key) throws Exception {
        var hs = HandshakeState.initiator(HandshakePattern.XX, Protocol.prologueBytes(), key, null, List.of(),
                new SecureRandom());
        writeMessage(hs.writeMessage(new byte[0]));
        hs.readMessage(readMessage());
        writeMessage(hs.writeMessage(new byte[] {1}));
        transport = hs.split();
    }

    /** Encrypts {@code plaintext} as one transport message, whatever it holds. */
    void sendPlaintext(byte[] plaintext) throws Exception {
        writeMessage(transport.send().encryptWithAd(new byte[0], plaintext));
    }

    void sendFrame(Frame f) throws Exception {
        sendPlaintext(FrameCodec.encode(f));
    }

    /** Reads and decrypts one transport message holding exactly one frame. */
    Frame readFrame() throws Exception {
        byte[] plain = transport.receive().decryptWithAd(new byte[0], readMessage());
        ByteBuffer b = ByteBuffer.wrap(plain);
        Frame f = FrameCodec.decode(b);
        if (b.hasRemaining()) {
            throw new AssertionError("more than one frame in the message");
        }
        return f;
    }

    /** Whether the server closed the socket (end of stream) within five seconds. */
    boolean sawEndOfStream() throws IOException {
        return sawEndOfStream(5_000);
    }

    /** Whether the server closed the socket (end of stream) within {@code millis}; discards data. */
    boolean sawEndOfStream(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (EOFException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("reset");
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(5_000);
            }
        }
    }

    /** Reads and throws away whatever arrives for {@code millis}. */
    long drain(int millis) throws IOException {
        socket.setSoTimeout(millis);
        long n = 0;
        byte[] buf = new byte[65_536];
        try {
            int r;
            while ((r = in.read(buf)) > 0) {
                n += r;
            }
        } catch (SocketTimeoutException e) {
            return n;
        } finally {
            socket.setSoTimeout(5_000);
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
