package crumbhub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.server.admin.AdminClient;
import crumbhub.server.admin.AdminRequest;
import crumbhub.server.admin.AdminResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backup over the admin socket of a running server, then restore with its refusals. */
class BackupsTest {
    @TempDir
    Path tmp;

    @Test
    void backupThenRestoreGivesTheSameStateAndRefusesUnsafeTargets() throws Exception {
        Path data = tmp.resolve("data");
        DataFormatTest.copyFixture(data);
        Path backup = tmp.resolve("backup");
        byte[] before;
        try (Server s = Server.start(DataFormatTest.options(data))) {
            before = s.admin().snapshot().get(10, TimeUnit.SECONDS);
            var progress = new ArrayList<String>();
            AdminResponse r = AdminClient.call(data, new AdminRequest.Backup(backup), progress::add);
            assertThat(r.ok()).as(r.error()).isTrue();
            assertThat(r.lines().getFirst()).contains("2 users, 1 rooms, 2 messages waiting");
            assertThat(progress).anyMatch(l -> l.startsWith("writing the snapshot")).anyMatch(l -> l.equals("checking the backup"));
            assertThat(AdminClient.call(data, new AdminRequest.Backup(backup)).error()).contains("already exists");

            var running = new ArrayList<String>();
            assertThatThrownBy(() -> Backups.restore(data, backup, true, running::add))
                    .hasMessage("a crumbhub-server is running on " + data + "; stop it before restoring");
        }
        assertThat(DataFormat.read(backup)).isEqualTo(DataFormat.CURRENT);

        Path fresh = tmp.resolve("fresh");
        var progress = new ArrayList<String>();
        Backups.Summary summary = Backups.restore(fresh, backup, false, progress::add);
        assertThat(summary.users()).isEqualTo(2);
        assertThat(summary.messages()).isEqualTo(2);
        assertThat(progress).anyMatch(l -> l.startsWith("copying 2 store files"))
                .anyMatch(l -> l.equals("checking that the copy replays"));
        assertThat(fresh.resolve("restore-in-progress")).doesNotExist();
        try (Server s = Server.start(DataFormatTest.options(fresh))) {
            assertThat(s.admin().snapshot().get(10, TimeUnit.SECONDS)).isEqualTo(before);
            assertThat(s.fingerprint()).isEqualTo(fingerprintOf(data));
        }

        assertThatThrownBy(() -> Backups.restore(data, backup, false, l -> { }))
                .hasMessageContaining("already holds a server").hasMessageContaining("--force");
        Backups.restore(data, backup, true, progress::add);
        assertThat(progress).anyMatch(l -> l.startsWith("moved the old server.key and store to " + data.resolve("replaced-")));
        List<Path> aside;
        try (var entries = Files.list(data)) {
            aside = entries.filter(p -> p.getFileName().toString().startsWith("replaced-")).toList();
        }
        assertThat(aside).singleElement().satisfies(p -> assertThat(p.resolve("server.key")).exists());
        try (Server s = Server.start(DataFormatTest.options(data))) {
            assertThat(s.admin().snapshot().get(10, TimeUnit.SECONDS)).isEqualTo(before);
        }
    }

    @Test
    void somethingThatIsNotABackupIsRefusedBeforeTouchingTheTarget() throws Exception {
        Path notBackup = Files.createDirectories(tmp.resolve("nothing"));
        Path target = tmp.resolve("target");
        assertThatThrownBy(() -> Backups.restore(target, notBackup, false, l -> { }))
                .hasMessage(notBackup + " is not a CrumbHub backup (it needs server.key and store/)");
        assertThat(target).doesNotExist();
    }

    private static String fingerprintOf(Path data) throws Exception {
        try (var key = ServerKey.load(data.resolve(ServerKey.FILE))) {
            return crumbhub.crypto.Fingerprint.of(key.publicKey());
        }
    }
}
