package crumbhub.server;

import crumbhub.server.CommandLine.Setting;
import crumbhub.server.CommandLine.Value;
import crumbhub.server.config.ConfigException;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.Quotas;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The quota settings (docs/server.md "Quotas") and the free-disk watermark, each with its flag,
 * environment variable and file key like every other {@link Setting}, applied to a
 * {@link ServerOptions.Builder}. Sizes take a {@code k}, {@code m} or {@code g} suffix (KiB, MiB,
 * GiB). Kept apart from {@link LimitSettings} so that the rate limits and the quotas each read as
 * one table.
 */
final class QuotaSettings {
    static final List<Setting> SETTINGS = List.of(
            new Setting("quota.mailbox.messages", "N", "10000", "messages waiting for one device (one sender: half)"),
            new Setting("quota.mailbox.bytes", "SIZE", "64m", "bytes waiting for one device (one sender: half)"),
            new Setting("quota.sender.bytes", "SIZE", "64m", "bytes of one account's messages still waiting"),
            new Setting("quota.server.bytes", "SIZE", "a quarter of the heap", "bytes of all messages still waiting"),
            new Setting("quota.rooms", "N", "500", "rooms one account is a member of"),
            new Setting("quota.invites.received", "N", "100", "room invitations one account has not answered"),
            new Setting("quota.invites.sent", "N", "50", "invitations waiting in rooms one account owns"),
            new Setting("quota.devices", "N", "32", "active devices per account, at most " + Quotas.MAX_DEVICES),
            new Setting("quota.backup.bytes", "SIZE", "256m", "bytes of one account's history backup"),
            new Setting("disk.min.free", "SIZE", "256m", "free disk below which new messages are refused; 0: never"));

    private QuotaSettings() {}

    /** Applies every quota present in {@code s}; the others keep the builder's values. */
    static void apply(Map<String, Value> s, ServerOptions.Builder b) throws ConfigException {
        Quotas q = b.quotas();
        if (s.containsKey("quota.mailbox.messages") || s.containsKey("quota.mailbox.bytes")) {
            q = q.withMailbox(count(s.get("quota.mailbox.messages"), q.mailboxMessages(), 100_000_000),
                    size(s.get("quota.mailbox.bytes"), q.mailboxBytes(), 1));
        }
        if (s.get("quota.sender.bytes") instanceof Value v) {
            q = q.withSenderBytes(size(v, 0, 1));
        }
        if (s.get("quota.server.bytes") instanceof Value v) {
            q = q.withServerBytes(size(v, 0, 1));
        }
        if (s.containsKey("quota.rooms") || s.containsKey("quota.invites.received")
                || s.containsKey("quota.invites.sent")) {
            int rooms = count(s.get("quota.rooms"), q.roomsJoined(), Quotas.MAX_ROOM_ENTRIES);
            int received = count(s.get("quota.invites.received"), q.invitesReceived(), Quotas.MAX_ROOM_ENTRIES);
            if (rooms + received > Quotas.MAX_ROOM_ENTRIES) {
                throw new ConfigException("quota.rooms plus quota.invites.received must be at most "
                        + Quotas.MAX_ROOM_ENTRIES + " (one room list), got " + rooms + " + " + received);
            }
            q = q.withRooms(rooms, received, count(s.get("quota.invites.sent"), q.invitesSent(), 1_000_000));
        }
        if (s.get("quota.devices") instanceof Value v) {
            q = q.withDevices(count(v, 0, Quotas.MAX_DEVICES));
        }
        if (s.get("quota.backup.bytes") instanceof Value v) {
            q = q.withBackupBytes(size(v, 0, 1));
        }
        b.quotas(q);
        if (s.get("disk.min.free") instanceof Value v) {
            b.minFreeDisk(size(v, 0, 0));
        }
    }

    /** A whole number of bytes, with an optional {@code k}, {@code m} or {@code g} suffix (powers of 1024). */
    static long size(Value v, long fallback, long min) throws ConfigException {
        if (v == null) {
            return fallback;
        }
        String t = v.text().trim().toLowerCase(Locale.ROOT);
        var m = java.util.regex.Pattern.compile("([0-9]{1,12})([kmg]?)").matcher(t);
        if (!m.matches()) {
            throw new ConfigException(v.source() + " must be a size such as 512m or 2g, got '" + v.text() + "'");
        }
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        long n = Long.parseLong(m.group(1));
        if (n > (1L << 50) >> shift || (n << shift) < min) {
            throw new ConfigException(v.source() + " must be a size from " + min + " bytes to 1024 TiB, got '"
                    + v.text() + "'");
        }
        return n << shift;
    }

    private static int count(Value v, int fallback, int max) throws ConfigException {
        if (v == null) {
            return fallback;
        }
        String t = v.text();
        if (!t.matches("[0-9]{1,10}") || Long.parseLong(t) < 1 || Long.parseLong(t) > max) {
            throw new ConfigException(v.source() + " must be a whole number from 1 to " + max + ", got '" + t + "'");
        }
        return Integer.parseInt(t);
    }
}
