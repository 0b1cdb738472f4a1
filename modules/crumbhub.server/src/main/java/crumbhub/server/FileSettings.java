package crumbhub.server;

import crumbhub.server.CommandLine.Setting;
import crumbhub.server.CommandLine.Value;
import crumbhub.server.config.ConfigException;
import crumbhub.server.config.Durations;
import crumbhub.server.config.FileLimits;
import crumbhub.server.config.ServerOptions;
import java.util.List;
import java.util.Map;

/**
 * The file blob settings (docs/server.md "Files"), each with its flag, environment variable and
 * file key like every other {@link Setting}, applied to a {@link ServerOptions.Builder}. Sizes
 * take {@code k}, {@code m} or {@code g} as the quotas do.
 */
final class FileSettings {
    static final List<Setting> SETTINGS = List.of(
            new Setting("limits.files.max.bytes", "SIZE", "4g", "largest file blob (sealed bytes)"),
            new Setting("limits.files.retention", "DURATION", "30d", "a file blob is deleted this long after its upload began"),
            new Setting("limits.files.unfinished", "DURATION", "24h", "an upload not finished within this is deleted"),
            new Setting("quota.files.user.bytes", "SIZE", "8g", "bytes of one account's file blobs"),
            new Setting("quota.files.server.bytes", "SIZE", "64g", "bytes of every file blob together"));

    private FileSettings() {}

    /** Applies every file setting present in {@code s}; the others keep the builder's values. */
    static void apply(Map<String, Value> s, ServerOptions.Builder b) throws ConfigException {
        FileLimits f = b.files();
        long max = QuotaSettings.size(s.get("limits.files.max.bytes"), f.maxBytes(), 1);
        var retention = s.get("limits.files.retention") instanceof Value v ? Durations.parse(v.source(), v.text())
                : f.retention();
        var unfinished = s.get("limits.files.unfinished") instanceof Value v ? Durations.parse(v.source(), v.text())
                : f.unfinished();
        long user = QuotaSettings.size(s.get("quota.files.user.bytes"), f.userBytes(), 1);
        long server = QuotaSettings.size(s.get("quota.files.server.bytes"), f.serverBytes(), 1);
        b.files(new FileLimits(max, user, server, retention, unfinished));
    }
}
