package crumbhub.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.server.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminSocketTest {
    @TempDir
    Path dir;

    @Test
    void requestTravelsAsOneLineAndResponseLinesComeBack() throws IOException {
        var seen = new CopyOnWriteArrayList<String>();
        try (var server = AdminServer.start(dir, (line, progress) -> {
            seen.add(line);
            return AdminResponse.ok(List.of("code-1", "second line"));
        })) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(server.path())))
                    .isEqualTo("rw-------");
            var r = AdminClient.call(dir, new AdminRequest.CreateInvite(2, Duration.ofDays(1)));
            assertThat(r.ok()).isTrue();
            assertThat(r.lines()).containsExactly("code-1", "second line");
            assertThat(seen).containsExactly("invite 2 86400");
        }
        assertThat(dir.resolve(AdminServer.SOCKET)).doesNotExist();
    }

    @Test
    void theSocketIsNeverBoundInADirectoryOtherUsersMayEnter() throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        assertThatThrownBy(() -> AdminServer.start(dir, (line, progress) -> AdminResponse.ok(List.of())))
                .isInstanceOf(IOException.class).hasMessageContaining("run: chmod 700 " + dir);
        assertThat(dir.resolve(AdminServer.SOCKET)).doesNotExist();
    }

    @Test
    void aPeerTheKernelReportsAsTheServersOwnUserIsServed() throws IOException {
        try (var server = AdminServer.start(dir, (line, progress) -> AdminResponse.ok(List.of("served")))) {
            var r = AdminClient.call(dir, new AdminRequest.ListUsers());
            assertThat(r.ok()).as(r.error()).isTrue();
            assertThat(r.lines()).containsExactly("served");
        }
    }

    @Test
    void errorsComeBackAsOneSentence() throws IOException {
        try (var server = AdminServer.start(dir, (line, progress) -> AdminResponse.error("no such user: bob\nsecond"))) {
            var r = AdminClient.call(dir, new AdminRequest.Ban("bob"));
            assertThat(r.ok()).isFalse();
            assertThat(r.error()).isEqualTo("no such user: bob second");
        }
    }

    @Test
    void progressLinesArriveBeforeTheResponse() throws IOException {
        try (var server = AdminServer.start(dir, (line, progress) -> {
            progress.accept("step 1 of 2");
            progress.accept("step 2 of 2");
            return AdminResponse.ok(List.of("done", "progress is only special before the status"));
        })) {
            var seen = new CopyOnWriteArrayList<String>();
            var r = AdminClient.call(dir, new AdminRequest.ListUsers(), seen::add);
            assertThat(seen).containsExactly("step 1 of 2", "step 2 of 2");
            assertThat(r.ok()).isTrue();
            assertThat(r.lines()).containsExactly("done", "progress is only special before the status");
        }
    }

    @Test
    void staleSocketFileIsReplaced() throws IOException {
        Files.writeString(dir.resolve(AdminServer.SOCKET), "stale");
        try (var server = AdminServer.start(dir, (line, progress) -> AdminResponse.ok(List.of()))) {
            assertThat(AdminClient.call(dir, new AdminRequest.ListUsers()).ok()).isTrue();
        }
    }

    @Test
    void missingServerIsAClearError() {
        assertThatThrownBy(() -> AdminClient.call(dir, new AdminRequest.ListUsers()))
                .hasMessageContaining("no server is running");
    }

    @Test
    void linesParseBackToTheSameRequests() throws ConfigException {
        for (AdminRequest r : List.of(new AdminRequest.CreateInvite(5, Duration.ofHours(2)), new AdminRequest.ListUsers(),
                new AdminRequest.Ban("a"), new AdminRequest.Unban("a"), new AdminRequest.ListDevices("a"),
                new AdminRequest.RevokeDevice("a", 3), new AdminRequest.ShowFingerprint(),
                new AdminRequest.Backup(Path.of("/tmp/with space/b")))) {
            assertThat(AdminRequest.parseLine(r.toLine())).isEqualTo(r);
        }
    }
}
