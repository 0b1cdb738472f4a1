package crumbhub.server;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.server.admin.AdminClient;
import crumbhub.server.admin.AdminRequest;
import crumbhub.server.admin.AdminResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 finding 7: backups carried no integrity check, and restore accepted another server's
 * store with this server's key. Real servers write real backups over the admin socket; {@code
 * restore} runs through the command line and must refuse a mixed, a foreign and an unsigned backup
 * with one line each, and restore an intact one.
 */
class SignedBackupsTest {
    @TempDir
    Path tmp;

    private record Result(int exit, String out, String err) {}

    private static Result restore(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int exit = Main.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Starts a server on {@code data} (the fixture if {@code fixture}), backs it up to {@code dest} over the admin socket. */
    private static void backup(Path data, boolean fixture, Path dest) throws Exception {
        if (fixture) {
            DataFormatTest.copyFixture(data);
        }
        try (Server s = Server.start(DataFormatTest.options(data))) {
            AdminResponse r = AdminClient.call(data, new AdminRequest.Backup(dest));
            assertThat(r.ok()).as(r.error()).isTrue();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static String lastLine(String text) {
        var lines = text.strip().lines().toList();
        return lines.getLast();
    }

    @Test
    void restoreRefusesAMixedAForeignAndAnUnsignedBackupAndRestoresAnIntactOne() throws Exception {
        Path ours = tmp.resolve("ours");
        Path ourBackup = tmp.resolve("our-backup");
        backup(ours, true, ourBackup);
        Path theirs = tmp.resolve("theirs");
        Path theirBackup = tmp.resolve("their-backup");
        backup(theirs, false, theirBackup);

        // this server's key and signature next to another server's store
        Path mixed = tmp.resolve("mixed");
        copyTree(ourBackup, mixed);
        try (var files = Files.list(mixed.resolve("store"))) {
            for (Path f : files.filter(f -> !f.getFileName().toString().equals("LOCK")).toList()) {
                Files.delete(f);
            }
        }
        try (var files = Files.list(theirBackup.resolve("store"))) {
            for (Path f : files.filter(f -> !f.getFileName().toString().equals("LOCK")).toList()) {
                Files.copy(f, mixed.resolve("store").resolve(f.getFileName()));
            }
        }
        Result r = restore("--data", tmp.resolve("fresh1").toString(), "restore", mixed.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(lastLine(r.err())).isEqualTo("crumbhub-server: restore: the backup " + mixed + " does not match its"
                + " signature: it was changed after it was written, or mixes another server's files; restore an intact backup");
        assertThat(tmp.resolve("fresh1").resolve(ServerKey.FILE)).doesNotExist();

        // another server's intact backup over this server's data directory
        r = restore("--data", ours.toString(), "restore", theirBackup.toString(), "--force");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(lastLine(r.err())).startsWith("crumbhub-server: restore: the backup " + theirBackup
                + " is of another server (key ").endsWith("restore it into a new data directory to run that server");

        // a backup whose signature was removed
        Path unsigned = tmp.resolve("unsigned");
        copyTree(ourBackup, unsigned);
        Files.delete(unsigned.resolve("BACKUP-SIGNATURE"));
        r = restore("--data", tmp.resolve("fresh2").toString(), "restore", unsigned.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(lastLine(r.err())).isEqualTo("crumbhub-server: restore: the backup " + unsigned + " is not signed"
                + " (made before backups were signed, or its signature was removed); restore it only if you trust it,"
                + " with --unsigned");
        assertThat(restore("--data", tmp.resolve("fresh2").toString(), "restore", unsigned.toString(), "--unsigned")
                .exit()).as("an old backup, accepted on purpose").isZero();

        // the intact backup, over its own server and into a new directory
        assertThat(restore("--data", ours.toString(), "restore", ourBackup.toString(), "--force").exit()).isZero();
        r = restore("--data", tmp.resolve("fresh3").toString(), "restore", ourBackup.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("checking the signature");
        try (Server s = Server.start(DataFormatTest.options(tmp.resolve("fresh3")))) {
            assertThat(s.admin().stats().get().users()).isEqualTo(2);
        }
    }
}
