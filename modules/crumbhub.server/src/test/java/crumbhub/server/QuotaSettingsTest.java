package crumbhub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.server.config.ConfigException;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.Quotas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every quota and the disk watermark are configurable by flag, environment and file, with the documented defaults. */
class QuotaSettingsTest {
    @TempDir
    Path tmp;

    private static ServerOptions run(Map<String, String> env, String... args) throws ConfigException {
        return ((CommandLine.Run) CommandLine.parse(args, env)).options();
    }

    @Test
    void defaultsAreTheDocumentedOnes() throws ConfigException {
        var o = run(Map.of());
        Quotas q = o.quotas();
        assertThat(q.mailboxMessages()).isEqualTo(10_000);
        assertThat(q.mailboxBytes()).isEqualTo(64L << 20);
        assertThat(q.senderBytes()).isEqualTo(64L << 20);
        assertThat(q.serverBytes()).isEqualTo(Math.max(32L << 20, Runtime.getRuntime().maxMemory() / 4));
        assertThat(q.roomsJoined()).isEqualTo(500);
        assertThat(q.invitesReceived()).isEqualTo(100);
        assertThat(q.invitesSent()).isEqualTo(50);
        assertThat(q.devices()).isEqualTo(32);
        assertThat(o.minFreeDisk()).isEqualTo(256L << 20);
    }

    @Test
    void flagsEnvironmentAndFileSetEveryQuota() throws Exception {
        Path file = tmp.resolve("quotas.properties");
        Files.writeString(file, """
                quota.mailbox.messages=300
                quota.rooms=20
                disk.min.free=1g
                """);
        var env = Map.of("CRUMBHUB_CONFIG", file.toString(), "CRUMBHUB_QUOTA_SENDER_BYTES", "512k",
                "CRUMBHUB_QUOTA_ROOMS", "30");
        var o = run(env, "--quota-mailbox-bytes", "2m", "--quota-server-bytes", "100000000",
                "--quota-invites-received", "7", "--quota-invites-sent", "3", "--quota-devices", "4",
                "--disk-min-free", "0");
        Quotas q = o.quotas();
        assertThat(q.mailboxMessages()).isEqualTo(300);
        assertThat(q.mailboxBytes()).isEqualTo(2L << 20);
        assertThat(q.senderBytes()).isEqualTo(512L << 10);
        assertThat(q.serverBytes()).isEqualTo(100_000_000L);
        assertThat(q.roomsJoined()).as("the environment beats the file").isEqualTo(30);
        assertThat(q.invitesReceived()).isEqualTo(7);
        assertThat(q.invitesSent()).isEqualTo(3);
        assertThat(q.devices()).isEqualTo(4);
        assertThat(o.minFreeDisk()).as("0 turns the watermark off").isZero();
        assertThat(run(Map.of(), "--disk-min-free", "2g").minFreeDisk()).isEqualTo(2L << 30);
    }

    @Test
    void badValuesAreRefusedWithOneSentenceNamingTheirSource() {
        assertThatThrownBy(() -> run(Map.of(), "--quota-sender-bytes", "lots"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--quota-sender-bytes must be a size such as 512m or 2g, got 'lots'");
        assertThatThrownBy(() -> run(Map.of("CRUMBHUB_QUOTA_DEVICES", "1000")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("CRUMBHUB_QUOTA_DEVICES must be a whole number from 1 to 256, got '1000'");
        assertThatThrownBy(() -> run(Map.of(), "--quota-rooms", "950"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("at most 1000 (one room list)");
        assertThatThrownBy(() -> run(Map.of(), "--quota-mailbox-bytes", "0"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("must be a size from 1 bytes");
    }

    @Test
    void helpListsEveryQuotaWithItsDefault() {
        assertThat(CommandLine.HELP).contains("--quota-mailbox-messages", "--quota-sender-bytes", "--quota-server-bytes",
                "--quota-rooms", "--quota-invites-received", "--quota-invites-sent", "--quota-devices",
                "--disk-min-free", "a quarter of the heap", "256m");
    }
}
