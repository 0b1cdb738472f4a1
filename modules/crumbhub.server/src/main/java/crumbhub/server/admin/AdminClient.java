package crumbhub.server.admin;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The command-line side of the admin socket: sends one request, reads the whole response. */
public final class AdminClient {
    /** Longest response accepted: a user list of 10^5 lines fits. */
    static final int MAX_RESPONSE = 16 << 20;
    static final String PROGRESS = "progress ";

    private AdminClient() {}

    /**
     * Runs {@code request} against the server whose data directory is {@code dataDir}.
     *
     * @throws IOException with a one-line operator message if no server answers
     */
    public static AdminResponse call(Path dataDir, AdminRequest request) throws IOException {
        return call(dataDir, request, line -> { });
    }

    /**
     * Like {@link #call(Path, AdminRequest)}, handing each progress line the server sends ahead
     * of its response to {@code progress} as it arrives.
     */
    public static AdminResponse call(Path dataDir, AdminRequest request, Consumer<String> progress) throws IOException {
        Path socket = dataDir.resolve(AdminServer.SOCKET);
        if (!Files.exists(socket)) {
            throw new IOException("no server is running with data directory " + dataDir + " (no " + socket + ")");
        }
        try (var ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
            } catch (AccessDeniedException e) {
                throw new IOException("permission denied on " + socket + "; run as the user that runs the server");
            } catch (IOException e) {
                String why = e.getMessage() == null ? e.toString() : e.getMessage();
                throw new IOException(why.toLowerCase().contains("permission")
                        ? "permission denied on " + socket + "; run as the user that runs the server"
                        : "the server for " + dataDir + " is not running (" + why + ")");
            }
            var req = ByteBuffer.wrap((request.toLine() + "\n").getBytes(StandardCharsets.UTF_8));
            while (req.hasRemaining()) {
                ch.write(req);
            }
            var out = new java.io.ByteArrayOutputStream();
            var buf = ByteBuffer.allocate(8192);
            boolean inProgress = true;
            while (ch.read(buf) >= 0) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
                if (out.size() > MAX_RESPONSE) {
                    throw new IOException("the server's response is too long");
                }
                while (inProgress) {
                    byte[] got = out.toByteArray();
                    int nl = indexOf(got, (byte) '\n');
                    String first = nl < 0 ? null : new String(got, 0, nl, StandardCharsets.UTF_8);
                    if (first == null || !first.startsWith(PROGRESS)) {
                        inProgress = first == null;
                        break;
                    }
                    progress.accept(first.substring(PROGRESS.length()));
                    out.reset();
                    out.write(got, nl + 1, got.length - nl - 1);
                }
            }
            return parse(out.toString(StandardCharsets.UTF_8));
        }
    }

    private static int indexOf(byte[] b, byte v) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    static AdminResponse parse(String text) throws IOException {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (!lines.isEmpty() && lines.getLast().isEmpty()) {
            lines.removeLast();
        }
        if (lines.isEmpty()) {
            throw new IOException("the server closed the admin connection without answering");
        }
        String first = lines.removeFirst();
        if (first.equals("ok")) {
            return AdminResponse.ok(lines);
        }
        if (first.startsWith("error ")) {
            return AdminResponse.error(first.substring(6));
        }
        throw new IOException("unexpected admin response: " + first);
    }
}
