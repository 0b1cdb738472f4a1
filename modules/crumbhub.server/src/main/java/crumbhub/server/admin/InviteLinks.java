package crumbhub.server.admin;

import crumbhub.server.config.HostPort;
import crumbhub.wire.InviteLink;
import java.net.InetAddress;

/**
 * Makes the {@code crumbhub://} link of an invite code (docs/operations.md "Invite links"): the
 * address clients reach the server at, the code and the digest of the server key. The address is
 * the {@code advertise} setting, else the listen address; a wildcard listen address
 * ({@code 0.0.0.0}, {@code ::}) is no address a client can reach, so then there is no link and
 * {@link #missing()} tells the operator how to name one. Immutable and thread-safe.
 *
 * @param advertised the {@code advertise} setting, or null
 * @param listen     the listen address with its real port
 * @param keyDigest  SHA-256 of the server's static public key
 */
public record InviteLinks(HostPort advertised, HostPort listen, byte[] keyDigest) {
    public InviteLinks {
        keyDigest = keyDigest.clone();
    }

    /**
     * Where a link points: {@code override} if given ({@code invite --address}: {@code HOST:PORT},
     * or {@code HOST} with the listen port), else {@link #address()}; null when there is none.
     *
     * @throws IllegalArgumentException with a sentence for the operator if {@code override} is not an address
     */
    public HostPort target(String override) {
        return override != null ? parseOverride(override) : address();
    }

    /** The link text of {@code code} at {@code at}. */
    public String link(String code, HostPort at) {
        return new InviteLink(at.host(), at.port(), code, keyDigest).text();
    }

    /** Where links point by default: the advertised address, else a listen address that is not a wildcard. */
    public HostPort address() {
        if (advertised != null) {
            return advertised;
        }
        return isWildcard(listen.host()) ? null : listen;
    }

    /** Why there is no link and the two ways to get one. */
    public String missing() {
        return "no invite link: the server listens on " + listen + ", which no client can connect to; start it"
                + " with --advertise HOST:PORT (or CRUMBHUB_ADVERTISE, or advertise in the config file), or run"
                + " crumbhub-server invite --address HOST:PORT";
    }

    private HostPort parseOverride(String text) {
        String t = text.strip();
        boolean hasPort = t.startsWith("[") ? t.contains("]:") : t.indexOf(':') >= 0 && t.indexOf(':') == t.lastIndexOf(':');
        HostPort at;
        try {
            at = hasPort ? HostPort.parse("--address", t)
                    : new HostPort(t.startsWith("[") ? t.substring(1, t.length() - 1) : t, listen.port());
        } catch (crumbhub.server.config.ConfigException | IllegalArgumentException e) {
            throw new IllegalArgumentException("--address must be HOST:PORT or HOST, got '" + text + "'");
        }
        if (at.port() == 0 || isWildcard(at.host()) || !InviteLink.validHost(at.host())) {
            throw new IllegalArgumentException("--address must name a host clients can reach, got '" + text + "'");
        }
        return at;
    }

    /** Whether {@code host} is an IP literal of the wildcard address. */
    public static boolean isWildcard(String host) {
        try {
            return InetAddress.ofLiteral(host).isAnyLocalAddress();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
