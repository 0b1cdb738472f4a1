package crumbhub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.server.admin.AdminClient;
import crumbhub.server.admin.AdminRequest;
import crumbhub.server.admin.AdminServer;
import crumbhub.server.config.ServerOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files and directories the server creates are its user's alone whatever the umask and the
 * parent's mode, and it refuses to run on a key or data directory other users can reach
 * (docs/security.md, "Files and modes").
 */
class FileModesTest {
    @TempDir
    Path tmp;

    /** A parent anyone may write to: nothing created below it may inherit that. */
    private Path openParent() throws IOException {
        Path open = tmp.resolve("open");
        Files.createDirectory(open);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        return open;
    }

    private static ServerOptions options(Path data) {
        return DataFormatTest.options(data);
    }

    /** Every entry below {@code root} (itself included) with its mode, e.g. {@code "store/LOCK rw-------"}. */
    private static List<String> modes(Path root) throws IOException {
        var out = new ArrayList<String>();
        try (var walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                out.add(root.relativize(p) + " " + PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)));
            }
        }
        return out;
    }

    private static void assertOwnerOnly(Path root) throws IOException {
        for (String entry : modes(root)) {
            Path p = root.resolve(entry.substring(0, entry.lastIndexOf(' ')));
            assertThat(entry).as("mode of %s", p)
                    .endsWith(Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? " rwx------" : " rw-------");
        }
    }

    @Test
    void everyFileAndDirectoryTheServerCreatesIsOwnerOnlyUnderAParentOpenToAll() throws Exception {
        Path data = openParent().resolve("new/data");
        try (Server server = Server.start(options(data))) {
            var invite = new AdminRequest.CreateInvite(1, AdminRequest.DEFAULT_INVITE_EXPIRY);
            assertThat(AdminClient.call(data, invite).ok()).isTrue();
            assertThat(modes(data)).contains(" rwx------", "server.key rw-------", "FORMAT rw-------",
                    AdminServer.SOCKET + " rw-------", "store rwx------", "store/LOCK rw-------");
            assertOwnerOnly(data);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.getParent())))
                .as("a missing parent is created owner-only too").isEqualTo("rwx------");
        assertOwnerOnly(data);
    }

    @Test
    void backupsAndRestoresAreOwnerOnlyUnderAParentOpenToAll() throws Exception {
        Path open = openParent();
        Path data = tmp.resolve("data");
        Path backup = open.resolve("backups/first");
        try (Server server = Server.start(options(data))) {
            var r = AdminClient.call(data, new AdminRequest.Backup(backup));
            assertThat(r.ok()).as(r.error()).isTrue();
        }
        assertOwnerOnly(backup);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup.getParent())))
                .isEqualTo("rwx------");
        Path restored = open.resolve("restored");
        Backups.restore(restored, backup, false, line -> { });
        assertOwnerOnly(restored);
    }

    @Test
    void aBackupNeverGoesIntoAnExistingDirectoryNorThroughASymlink() throws Exception {
        Path data = tmp.resolve("data");
        Path existing = Files.createDirectory(tmp.resolve("existing"));
        Path someoneElses = Files.createDirectory(tmp.resolve("someone-elses"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), someoneElses);
        Path dangling = Files.createSymbolicLink(tmp.resolve("dangling"), tmp.resolve("not-yet"));
        try (Server server = Server.start(options(data))) {
            for (Path dest : List.of(existing, link, dangling)) {
                var r = AdminClient.call(data, new AdminRequest.Backup(dest));
                assertThat(r.ok()).as("backup to %s", dest).isFalse();
                assertThat(r.error()).contains(dest + " already exists");
            }
        }
        try (var inside = Files.list(someoneElses); var inExisting = Files.list(existing)) {
            assertThat(inside).as("nothing written through the symlink").isEmpty();
            assertThat(inExisting).isEmpty();
        }
        assertThat(tmp.resolve("not-yet")).doesNotExist();
    }

    @Test
    void aServerKeyOthersCanReadIsRefusedWithTheFix() throws Exception {
        Path data = tmp.resolve("data");
        Server.start(options(data)).close();
        Path key = data.resolve(ServerKey.FILE);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> Server.start(options(data))).isInstanceOf(StartupException.class)
                .hasMessage(key + " is rw-r--r--, open to other users; run: chmod 600 " + key);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Server.start(options(data)).close();
    }

    @Test
    void aDataDirectoryOthersCanListIsRefusedWithTheFix() throws Exception {
        Path data = Files.createDirectory(tmp.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThatThrownBy(() -> Server.start(options(data))).isInstanceOf(StartupException.class)
                .hasMessage(data + " is rwxr-xr-x, open to other users; run: chmod 700 " + data);
        assertThat(data.resolve(ServerKey.FILE)).as("no key written into it").doesNotExist();
    }

    @Test
    void theCommandLineSaysHowToFixAnOpenDataDirectoryInOneLineAndExitsNonZero() throws Exception {
        Path data = Files.createDirectory(tmp.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwx---"));
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"--data", data.toString(), "--listen", "127.0.0.1:0"}, Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("crumbhub-server: " + data
                + " is rwxrwx---, open to other users; run: chmod 700 " + data + System.lineSeparator());
    }
}
