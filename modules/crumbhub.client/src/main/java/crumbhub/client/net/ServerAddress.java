package crumbhub.client.net;

import crumbhub.client.ClientException;

import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * A server address as the user typed it: {@code host:port}, {@code host} (port 5555),
 * {@code [v6]:port}. The host is kept unresolved and lower-cased; {@link #key()} is how it is
 * written in {@code known_servers} and in the session.
 */
public record ServerAddress(String host, int port) {
    public static final int DEFAULT_PORT = 5555;

    public ServerAddress {
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw ClientException.usage("invalid server address " + host + ":" + port);
        }
    }

    public static ServerAddress parse(String raw) {
        String s = raw.trim().toLowerCase(Locale.ROOT);
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw invalid(raw);
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw invalid(raw);
                }
                port = rest.substring(1);
            }
        } else {
            int colon = s.lastIndexOf(':');
            if (colon >= 0 && s.indexOf(':') != colon) {
                throw ClientException.usage("invalid server address '" + raw + "': write IPv6 addresses as [addr]:port");
            }
            host = colon < 0 ? s : s.substring(0, colon);
            port = colon < 0 ? null : s.substring(colon + 1);
        }
        if (host.isEmpty() || !host.chars().allMatch(c -> c > ' ' && c < 127 && c != '/' && c != '#')) {
            throw invalid(raw);
        }
        int p = DEFAULT_PORT;
        if (port != null) {
            if (!port.matches("[0-9]{1,5}")) {
                throw invalid(raw);
            }
            p = Integer.parseInt(port);
            if (p < 1 || p > 65535) {
                throw invalid(raw);
            }
        }
        return new ServerAddress(host, p);
    }

    private static ClientException invalid(String raw) {
        return ClientException.usage("invalid server address '" + raw + "': expected HOST:PORT");
    }

    /** {@code host:port}, or {@code [v6]:port}. */
    public String key() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** An unresolved socket address; resolution happens when connecting. */
    public InetSocketAddress socketAddress() {
        return InetSocketAddress.createUnresolved(host, port);
    }

    @Override
    public String toString() {
        return key();
    }
}
