package crumbhub.server.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The unit of per-address limits: an IPv4 address, or the /64 prefix of an IPv6 address (one
 * subscriber usually gets a whole /64, so counting single IPv6 addresses would let one host
 * take 2^64 of them). IPv4-mapped IPv6 addresses count as their IPv4 address.
 */
final class AddressKey {
    private AddressKey() {}

    static String of(InetSocketAddress a) {
        return a == null || a.getAddress() == null ? "?" : of(a.getAddress());
    }

    static String of(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            var sb = new StringBuilder(24);
            for (int i = 0; i < 8; i += 2) {
                sb.append(Integer.toHexString(((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF))).append(':');
            }
            return sb.append(":/64").toString();
        }
        return address.getHostAddress();
    }
}
