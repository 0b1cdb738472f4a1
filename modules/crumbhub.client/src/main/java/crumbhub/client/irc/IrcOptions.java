package crumbhub.client.irc;

import crumbhub.client.ClientException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Optional;

/**
 * The gateway's settings, checked once: where it listens and the connection password. Only a
 * loopback address may go without a password (docs/irc.md "Security"): anyone who can reach any
 * other address could otherwise read and write as the account.
 *
 * @param listen       the address to bind
 * @param password     the connection password (PASS), or null for none
 * @param historyLines how many recent lines a JOIN replays from the local history
 */
public record IrcOptions(InetSocketAddress listen, byte[] password, int historyLines) {
    public static final String DEFAULT_LISTEN = "127.0.0.1:6667";
    public static final int DEFAULT_HISTORY = 20;
    /** At most this many lines replayed on a JOIN or answered to one CHATHISTORY request. */
    public static final int MAX_HISTORY = 500;

    public IrcOptions {
        if (password == null && !listen.getAddress().isLoopbackAddress()) {
            throw ClientException.usage("the IRC gateway listens on " + listen.getAddress().getHostAddress()
                    + ", which is not a loopback address: give it a password with --password-file FILE");
        }
        if (historyLines < 0 || historyLines > MAX_HISTORY) {
            throw ClientException.usage("--history is between 0 and " + MAX_HISTORY);
        }
    }

    /** From the command's flags: {@code HOST:PORT}, an optional password file, an optional history length. */
    public static IrcOptions of(String listen, Optional<Path> passwordFile, int historyLines) {
        return new IrcOptions(address(listen), passwordFile.map(IrcOptions::readPassword).orElse(null), historyLines);
    }

    /** Whether a client's PASS ({@code given}, null if none) lets it in. */
    boolean passwordAccepts(byte[] given) {
        if (password == null) {
            return true;
        }
        return given != null && IrcConnection.samePassword(given, password);
    }

    static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw ClientException.usage("--listen is HOST:PORT, for example " + DEFAULT_LISTEN);
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw ClientException.usage("--listen: '" + hostPort.substring(colon + 1) + "' is not a port number");
        }
        if (port < 0 || port > 65535) {
            throw ClientException.usage("--listen: port " + port + " is not between 0 and 65535");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw ClientException.usage("--listen: unknown host " + host);
        }
    }

    /**
     * The first line of {@code file}, which must not be readable by other users (as the server's key
     * file, docs/operations.md) and must not be empty.
     */
    static byte[] readPassword(Path file) {
        try {
            if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
                var mode = Files.getPosixFilePermissions(file);
                if (mode.contains(PosixFilePermission.OTHERS_READ) || mode.contains(PosixFilePermission.GROUP_READ)) {
                    throw ClientException.usage("the password file " + file + " is readable by other users: run chmod 600 "
                            + file);
                }
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int nl = text.indexOf('\n');
            String line = (nl < 0 ? text : text.substring(0, nl)).replace("\r", "");
            if (line.isEmpty()) {
                throw ClientException.usage("the password file " + file + " is empty");
            }
            return line.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ClientException.usage("cannot read the password file " + file + ": " + e.getMessage());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IrcOptions other && listen.equals(other.listen) && historyLines == other.historyLines
                && Arrays.equals(password, other.password);
    }

    @Override
    public int hashCode() {
        return listen.hashCode() * 31 + historyLines;
    }

    /** Never the password. */
    @Override
    public String toString() {
        return "IrcOptions[" + listen + ", password " + (password == null ? "none" : "set") + ", history "
                + historyLines + "]";
    }
}
