package crumbhub.server.config;

import java.net.InetSocketAddress;

/** A {@code HOST:PORT} pair as the operator wrote it; {@code [v6]:port} is accepted too. */
public record HostPort(String host, int port) {
    public HostPort {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    public static HostPort parse(String what, String text) throws ConfigException {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new ConfigException(what + " must be HOST:PORT, got '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ConfigException(what + " has a port that is not a number: '" + text + "'");
        }
        if (port < 0 || port > 65_535 || host.isEmpty()) {
            throw new ConfigException(what + " must be HOST:PORT with a port 0..65535, got '" + text + "'");
        }
        return new HostPort(host, port);
    }

    /** An unresolved-if-needed socket address; resolution happens when binding. */
    public InetSocketAddress toAddress() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
