package crumbhub.client.chat;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A test's IRC client: raw lines over a real socket to the gateway. {@link #expect} reads until a
 * line matches, with a read timeout as its deadline (it waits on the socket, never sleeps).
 */
final class RawIrcClient implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;
    /** Every line read, in order. */
    final List<String> seen = new ArrayList<>();

    RawIrcClient(InetSocketAddress address) {
        try {
            socket = new Socket(address.getAddress(), address.getPort());
            socket.setSoTimeout(20_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    RawIrcClient send(String line) {
        return raw((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    RawIrcClient raw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** NICK and USER, then everything up to the control channel's end of NAMES. */
    RawIrcClient register(String nick) {
        send("NICK " + nick);
        send("USER " + nick + " 0 * :" + nick);
        expect(" 366 \\S+ &crumbhub ");
        return this;
    }

    /** Reads until a line matches {@code regex} (found anywhere in the line); returns that line. */
    String expect(String regex) {
        var pattern = Pattern.compile(regex);
        while (true) {
            String line = next();
            if (line == null) {
                return fail("the gateway closed the connection before a line matching %s; seen:%n%s", regex,
                        String.join("\n", seen));
            }
            if (pattern.matcher(line).find()) {
                return line;
            }
        }
    }

    /** The lines read until one matches {@code regex}, that one included. */
    List<String> until(String regex) {
        int from = seen.size();
        expect(regex);
        return List.copyOf(seen.subList(from, seen.size()));
    }

    /** Reads until the end of the connection; returns the lines read meanwhile. */
    List<String> untilClosed() {
        int from = seen.size();
        while (next() != null) {
            // reading on until the end
        }
        return List.copyOf(seen.subList(from, seen.size()));
    }

    private String next() {
        try {
            String line = in.readLine();
            if (line != null) {
                seen.add(line);
            }
            return line;
        } catch (SocketTimeoutException e) {
            return fail("no line from the gateway in 20 s; seen:%n%s%nthreads:%n%s", String.join("\n", seen), threads());
        } catch (IOException e) {
            return null; // reset by the gateway: the connection ended
        }
    }

    /** The stacks of the gateway's and the session's threads, to tell a stuck gateway from a slow one. */
    private static String threads() {
        var b = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            if (t.getName().startsWith("crumbhub")) {
                b.append(t.getName()).append('\n');
                for (var frame : stack) {
                    b.append("    ").append(frame).append('\n');
                }
            }
        });
        return b.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
