package crumbhub.server;

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
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.List;

/**
 * A blocking client driven by hand, byte by byte if need be, from a chosen 127.0.0.x address:
 * what a hostile or broken client sends (half handshakes, garbage, mutated frames), and a
 * receiver that can simply stop reading. Every read is bounded by a socket timeout.
 */
final class RawPeer implements AutoCloseable {
    static final SecureRandom RANDOM = new SecureRandom();

    final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private TransportState transport;
    private final ArrayDeque<Frame> received = new ArrayDeque<>();

    /** Connects from {@code localHost} (port chosen by the system); {@code receiveBuffer} 0 keeps the default. */
    RawPeer(InetSocketAddress server, String localHost, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.bind(new InetSocketAddress(localHost, 0));
        socket.connect(server, 5_000);
        socket.setSoTimeout(5_000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    RawPeer(InetSocketAddress server, String localHost) throws IOException {
        this(server, localHost, 0);
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

    /** Noise XX as the initiator with {@code key}, the prologue and version of protocol §1. */
    RawPeer handshake(X25519KeyPair key) throws Exception {
        var hs = HandshakeState.initiator(HandshakePattern.XX, Protocol.prologueBytes(), key, null, List.of(), RANDOM);
        writeMessage(hs.writeMessage(new byte[0]));
        hs.readMessage(readMessage());
        writeMessage(hs.writeMessage(new byte[] {(byte) Protocol.VERSION}));
        transport = hs.split();
        return this;
    }

    /** Encrypts {@code plaintext} as one transport message, whatever it holds. */
    void sendPlaintext(byte[] plaintext) throws Exception {
        writeMessage(transport.send().encryptWithAd(new byte[0], plaintext));
    }

    /** Sends the frames in as few transport messages as fit. */
    void send(Frame... frames) throws Exception {
        var buf = ByteBuffer.allocate(Protocol.MAX_PLAINTEXT);
        for (Frame f : frames) {
            byte[] e = FrameCodec.encode(f);
            if (buf.remaining() < e.length) {
                sendPlaintext(java.util.Arrays.copyOf(buf.array(), buf.position()));
                buf.clear();
            }
            buf.put(e);
        }
        if (buf.position() > 0) {
            sendPlaintext(java.util.Arrays.copyOf(buf.array(), buf.position()));
        }
    }

    /** The next frame from the server. */
    Frame next() throws Exception {
        while (received.isEmpty()) {
            byte[] plain = transport.receive().decryptWithAd(new byte[0], readMessage());
            ByteBuffer b = ByteBuffer.wrap(plain);
            while (b.hasRemaining()) {
                received.add(FrameCodec.decode(b));
            }
        }
        return received.poll();
    }

    /** The next frame that is the reply to {@code requestId}, skipping pushes and other replies. */
    Frame reply(int requestId) throws Exception {
        while (true) {
            Frame f = next();
            if (f.requestId() == requestId) {
                return f;
            }
        }
    }

    /** Whether the server closed the connection within {@code millis}; discards what arrives meanwhile. */
    boolean closedWithin(int millis) throws IOException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        byte[] sink = new byte[8192];
        try {
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return false;
                }
                socket.setSoTimeout((int) left);
                if (in.read(sink) < 0) {
                    return true;
                }
            }
        } catch (EOFException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset by the server
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(5_000);
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
