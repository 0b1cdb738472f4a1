package crumbhub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.server.admin.AdminRequest;
import crumbhub.server.config.ConfigException;
import crumbhub.server.config.HostPort;
import crumbhub.wire.log.LogFormat;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.RegistrationMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {
    @TempDir
    Path tmp;

    private static ServerOptions run(Map<String, String> env, String... args) throws ConfigException {
        return ((CommandLine.Run) CommandLine.parse(args, env)).options();
    }

    @Test
    void noConfigurationGivesTheContractDefaults() throws ConfigException {
        var o = run(Map.of());
        assertThat(o.dataDir()).isEqualTo(Path.of("./crumbhub-data"));
        assertThat(o.listen()).isEqualTo(new HostPort("0.0.0.0", 5555));
        assertThat(o.registration()).isEqualTo(RegistrationMode.INVITE);
        assertThat(o.metrics()).isNull();
        assertThat(o.passwordIterations()).isGreaterThanOrEqualTo(600_000);
    }

    @Test
    void flagsBeatEnvironmentWhichBeatsTheFile() throws Exception {
        Path file = tmp.resolve("server.properties");
        Files.writeString(file, "listen=127.0.0.1:7000\nregistration=closed\nretention=3d\ndata=/from/file\n");
        var env = Map.of("CRUMBHUB_CONFIG", file.toString(), "CRUMBHUB_REGISTRATION", "invite",
                "CRUMBHUB_DATA", "/from/env");
        var o = run(env, "--data", "/from/flag");
        assertThat(o.dataDir()).isEqualTo(Path.of("/from/flag"));
        assertThat(o.registration()).isEqualTo(RegistrationMode.INVITE);
        assertThat(o.listen()).isEqualTo(new HostPort("127.0.0.1", 7000));
        assertThat(o.retention()).isEqualTo(Duration.ofDays(3));
        var o2 = run(env, "--registration", "open", "--config", file.toString(), "--log-format", "json");
        assertThat(o2.registration()).isEqualTo(RegistrationMode.OPEN);
        assertThat(o2.logFormat()).isEqualTo(LogFormat.JSON);
        assertThat(o2.dataDir()).isEqualTo(Path.of("/from/env"));
    }

    @Test
    void everySettingComesFromEachSourceWithTheRightPrecedence() throws Exception {
        for (CommandLine.Setting setting : CommandLine.SETTINGS) {
            String[] values = sampleValues(setting.key());
            Path file = tmp.resolve(setting.key() + ".properties");
            Files.writeString(file, setting.key() + "=" + values[0] + "\n");
            var fileOnly = run(Map.of("CRUMBHUB_CONFIG", file.toString()));
            var envBeatsFile = run(Map.of("CRUMBHUB_CONFIG", file.toString(), setting.env(), values[1]));
            var flagBeatsEnv = run(Map.of("CRUMBHUB_CONFIG", file.toString(), setting.env(), values[1]),
                    setting.flag(), values[2]);
            assertThat(List.of(valueOf(fileOnly, setting.key()), valueOf(envBeatsFile, setting.key()),
                    valueOf(flagBeatsEnv, setting.key())))
                    .as(setting.key()).containsExactly(values[0], values[1], values[2]);
        }
    }

    /** Three different valid values of a setting, as text. */
    private static String[] sampleValues(String key) {
        return switch (key) {
            case "data" -> new String[] {"/f", "/e", "/c"};
            case "advertise" -> new String[] {"chat.example.org:1", "[2001:db8::1]:2", "10.0.0.3:3"};
            case "listen", "metrics" -> new String[] {"127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3"};
            case "registration" -> new String[] {"closed", "invite", "open"};
            case "retention" -> new String[] {"1d", "2h", "3m"};
            case "log.format" -> new String[] {"json", "text", "json"};
            case "log.level" -> new String[] {"debug", "warn", "error"};
            case "loop.threads", "hash.threads" -> new String[] {"1", "2", "3"};
            case "handshake.timeout", "auth.timeout", "idle.timeout", "login.delay" -> new String[] {"2s", "3s", "4s"};
            case "login.delay.max" -> new String[] {"10s", "20s", "30s"};
            case "max.connections", "max.connections.per.address" -> new String[] {"5", "6", "7"};
            case "max.body.bytes" -> new String[] {"100", "200", "300"};
            case "max.outbound.bytes" -> new String[] {"65536", "131072", "262144"};
            case "max.outbound.total.bytes" -> new String[] {"1048576", "2097152", "3145728"};
            case "rate.connection", "rate.user", "rate.register.address", "rate.register.global", "rate.key.upload" ->
                    new String[] {"1/1s", "2/1m", "3/1h"};
            case "quota.mailbox.messages", "quota.rooms", "quota.invites.received", "quota.invites.sent",
                 "quota.devices" -> new String[] {"5", "6", "7"};
            case "quota.mailbox.bytes", "quota.sender.bytes", "quota.server.bytes", "disk.min.free",
                 "quota.backup.bytes" -> new String[] {"1024", "2048", "3072"};
            case "rate.lookup.stranger", "rate.bundle.requester", "rate.bundle.target" -> new String[] {"1/1s", "2/1m", "3/1h"};
            case "password.min.length" -> new String[] {"8", "12", "20"};
            case "limits.files.max.bytes", "quota.files.user.bytes", "quota.files.server.bytes" ->
                    new String[] {"1024", "2048", "3072"};
            case "limits.files.retention", "limits.files.unfinished" -> new String[] {"2s", "3s", "4s"};
            default -> throw new AssertionError("add sample values for the new setting " + key);
        };
    }

    private static String valueOf(ServerOptions o, String key) {
        return switch (key) {
            case "data" -> o.dataDir().toString();
            case "listen" -> o.listen().toString();
            case "advertise" -> o.advertise().toString();
            case "metrics" -> o.metrics().toString();
            case "registration" -> o.registration().label();
            case "retention" -> Map.of(Duration.ofDays(1), "1d", Duration.ofHours(2), "2h", Duration.ofMinutes(3), "3m")
                    .get(o.retention());
            case "log.format" -> o.logFormat().name().toLowerCase();
            case "log.level" -> Map.of(System.Logger.Level.DEBUG, "debug", System.Logger.Level.WARNING, "warn",
                    System.Logger.Level.ERROR, "error").get(o.logLevel());
            case "loop.threads" -> Integer.toString(o.loopThreads());
            case "handshake.timeout" -> o.limits().handshakeTimeout().toSeconds() + "s";
            case "auth.timeout" -> o.authTimeout().toSeconds() + "s";
            case "idle.timeout" -> o.idleTimeout().toSeconds() + "s";
            case "login.delay" -> o.throttleBase().toSeconds() + "s";
            case "login.delay.max" -> o.throttleCap().toSeconds() + "s";
            case "max.connections" -> Integer.toString(o.limits().maxConnections());
            case "max.connections.per.address" -> Integer.toString(o.limits().maxConnectionsPerAddress());
            case "max.body.bytes" -> Integer.toString(o.limits().maxBodyBytes());
            case "max.outbound.bytes" -> Long.toString(o.maxOutboundBytes());
            case "max.outbound.total.bytes" -> Long.toString(o.maxOutboundTotalBytes());
            case "rate.connection" -> o.limits().connectionRequests().toString();
            case "rate.user" -> o.limits().userRequests().toString();
            case "rate.register.address" -> o.limits().registrationsPerAddress().toString();
            case "rate.register.global" -> o.limits().registrations().toString();
            case "rate.key.upload" -> o.limits().keyUploads().toString();
            case "hash.threads" -> Integer.toString(o.hashThreads());
            case "quota.mailbox.messages" -> Integer.toString(o.quotas().mailboxMessages());
            case "quota.mailbox.bytes" -> Long.toString(o.quotas().mailboxBytes());
            case "quota.sender.bytes" -> Long.toString(o.quotas().senderBytes());
            case "quota.backup.bytes" -> Long.toString(o.quotas().backupBytes());
            case "quota.server.bytes" -> Long.toString(o.quotas().serverBytes());
            case "quota.rooms" -> Integer.toString(o.quotas().roomsJoined());
            case "quota.invites.received" -> Integer.toString(o.quotas().invitesReceived());
            case "quota.invites.sent" -> Integer.toString(o.quotas().invitesSent());
            case "quota.devices" -> Integer.toString(o.quotas().devices());
            case "disk.min.free" -> Long.toString(o.minFreeDisk());
            case "password.min.length" -> Integer.toString(o.abuse().passwordMinLength());
            case "rate.lookup.stranger" -> o.abuse().strangerLookups().toString();
            case "rate.bundle.requester" -> o.abuse().bundlesPerRequester().toString();
            case "rate.bundle.target" -> o.abuse().bundlesPerTarget().toString();
            case "limits.files.max.bytes" -> Long.toString(o.files().maxBytes());
            case "quota.files.user.bytes" -> Long.toString(o.files().userBytes());
            case "quota.files.server.bytes" -> Long.toString(o.files().serverBytes());
            case "limits.files.retention" -> o.files().retention().toSeconds() + "s";
            case "limits.files.unfinished" -> o.files().unfinished().toSeconds() + "s";
            default -> throw new AssertionError(key);
        };
    }

    @Test
    void helpListsEverySettingWithItsEnvironmentVariableFileKeyAndDefault() {
        for (CommandLine.Setting s : CommandLine.SETTINGS) {
            assertThat(CommandLine.HELP).contains(s.flag() + " " + s.metavar())
                    .contains(s.env() + ", file key " + s.key() + ", default: " + s.defaultText());
        }
        assertThat(CommandLine.HELP).contains("--config FILE", "CRUMBHUB_CONFIG", "restore BACKUP [--force]",
                "backup DEST", "invite [--uses N]", "revoke USER DEVICE_ID");
        assertThat(CommandLine.HELP.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100));
    }

    @Test
    void anErrorNamesWhereTheBadValueCameFrom() throws Exception {
        assertThatThrownBy(() -> run(Map.of("CRUMBHUB_LISTEN", "nowhere")))
                .hasMessage("CRUMBHUB_LISTEN must be HOST:PORT, got 'nowhere'");
        assertThatThrownBy(() -> run(Map.of(), "--log-level", "loud"))
                .hasMessage("--log-level must be debug, info, warn, error or off, got 'loud'");
        assertThatThrownBy(() -> run(Map.of("CRUMBHUB_HASH_THREADS", "0")))
                .hasMessage("CRUMBHUB_HASH_THREADS must be a whole number from 1 to 64, got '0'");
        Path file = tmp.resolve("bad.properties");
        Files.writeString(file, "retention=forever\n");
        assertThatThrownBy(() -> run(Map.of(), "--config", file.toString()))
                .hasMessage("retention in " + file + " must be a number followed by s, m, h, d or w (like 7d), got 'forever'");
    }

    @Test
    void metricsOffIsTheSameAsNoMetrics() throws ConfigException {
        assertThat(run(Map.of("CRUMBHUB_METRICS", "127.0.0.1:9100"), "--metrics", "off").metrics()).isNull();
    }

    @Test
    void restoreAndBackupPaths() throws ConfigException {
        var r = (CommandLine.Restore) CommandLine.parse(new String[] {"--data", "/d", "restore", "/b", "--force"}, Map.of());
        assertThat(r).isEqualTo(new CommandLine.Restore(Path.of("/d"), Path.of("/b"), true));
        assertThat(CommandLine.parse(new String[] {"--data", "/d", "restore", "/b", "--unsigned"}, Map.of()))
                .isEqualTo(new CommandLine.Restore(Path.of("/d"), Path.of("/b"), false, true));
        var plain = (CommandLine.Restore) CommandLine.parse(new String[] {"restore", "b"}, Map.of());
        assertThat(plain.force()).isFalse();
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"restore"}, Map.of())).hasMessageContaining("usage");
        var b = (CommandLine.Admin) CommandLine.parse(new String[] {"backup", "rel/dir"}, Map.of());
        assertThat(((AdminRequest.Backup) b.request()).dest()).isEqualTo(Path.of("rel/dir").toAbsolutePath());
    }

    @Test
    void invalidValuesAreOneClearSentence() throws Exception {
        assertThatThrownBy(() -> run(Map.of(), "--listen", "nowhere")).hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> run(Map.of(), "--listen", "h:99999")).hasMessageContaining("0..65535");
        assertThatThrownBy(() -> run(Map.of(), "--registration", "maybe")).hasMessageContaining("open, invite or closed");
        assertThatThrownBy(() -> run(Map.of(), "--frobnicate")).hasMessageContaining("unknown option --frobnicate");
        assertThatThrownBy(() -> run(Map.of(), "--data")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> run(Map.of(), "--listen=1.2.3.4:5")).hasMessageContaining("--listen 1.2.3.4:5");
        assertThatThrownBy(() -> run(Map.of("CRUMBHUB_CONFIG", tmp.resolve("none").toString())))
                .hasMessageContaining("does not exist");
        Path file = tmp.resolve("typo.properties");
        Files.writeString(file, "lisen=1.2.3.4:5\n");
        assertThatThrownBy(() -> run(Map.of(), "--config", file.toString())).hasMessageContaining("unknown keys [lisen]");
    }

    @Test
    void ipv6ListenAddressAndMetrics() throws ConfigException {
        var o = run(Map.of(), "--listen", "[::1]:0", "--metrics", "127.0.0.1:9100");
        assertThat(o.listen()).isEqualTo(new HostPort("::1", 0));
        assertThat(o.listen().toString()).isEqualTo("[::1]:0");
        assertThat(o.metrics()).isEqualTo(new HostPort("127.0.0.1", 9100));
    }

    @Test
    void helpWinsAnywhere() throws ConfigException {
        assertThat(CommandLine.parse(new String[] {"--data", "x", "--help"}, Map.of()))
                .isInstanceOf(CommandLine.Help.class);
        assertThat(CommandLine.parse(new String[] {"-h"}, Map.of())).isInstanceOf(CommandLine.Help.class);
    }

    @Test
    void subcommandsBecomeAdminRequestsWithTheDataDirectory() throws ConfigException {
        var inv = (CommandLine.Admin) CommandLine.parse(
                new String[] {"--data", "/srv/ch", "invite", "--uses", "3", "--expires", "2w"}, Map.of());
        assertThat(inv.dataDir()).isEqualTo(Path.of("/srv/ch"));
        assertThat(inv.request()).isEqualTo(new AdminRequest.CreateInvite(3, Duration.ofDays(14)));
        var def = (CommandLine.Admin) CommandLine.parse(new String[] {"invite"}, Map.of("CRUMBHUB_DATA", "/e"));
        assertThat(def.dataDir()).isEqualTo(Path.of("/e"));
        assertThat(def.request()).isEqualTo(new AdminRequest.CreateInvite(1, Duration.ofDays(7)));
        var ban = (CommandLine.Admin) CommandLine.parse(new String[] {"ban", "mallory", "--data", "/d"}, Map.of());
        assertThat(ban.request()).isEqualTo(new AdminRequest.Ban("mallory"));
        assertThat(ban.dataDir()).isEqualTo(Path.of("/d"));
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"ban"}, Map.of())).hasMessageContaining("usage: ban USER");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"invite", "--uses", "0"}, Map.of()))
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"invite", "--expires", "soon"}, Map.of()))
                .hasMessageContaining("like 7d");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"explode"}, Map.of()))
                .hasMessageContaining("unknown command 'explode'");
    }

    @Test
    void inviteTakesTheAddressItsLinkPointsAt() throws ConfigException {
        var inv = (CommandLine.Admin) CommandLine.parse(new String[] {"invite", "--address", "chat.example.org"}, Map.of());
        assertThat(inv.request()).isEqualTo(new AdminRequest.CreateInvite(1, Duration.ofDays(7), "chat.example.org"));
        assertThat(inv.request().toLine()).isEqualTo("invite 1 604800 chat.example.org");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"invite", "--address", "a b"}, Map.of()))
                .hasMessageContaining("--address must be HOST:PORT or HOST");
    }

    @Test
    void theAdvertisedAddressMustBeOneAClientCanConnectTo() {
        for (String bad : new String[] {"0.0.0.0:5555", "[::]:5555", "chat.example.org:0", "chat.example.org", "a$b:1"}) {
            assertThatThrownBy(() -> CommandLine.parse(new String[] {"--advertise", bad}, Map.of())).as(bad)
                    .isInstanceOf(ConfigException.class).hasMessageContaining("--advertise");
        }
    }
}
