package crumbhub.client.home;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.client.ClientException;
import crumbhub.client.net.ServerAddress;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HomeTest {
    private static final int FAST = 1_000;
    private final SecureRandom rng = new SecureRandom();
    @TempDir
    Path tmp;

    private static final PassphraseSource NO_PASSPHRASE = prompt -> {
        throw ClientException.store("no passphrase available");
    };

    private static PassphraseSource passphrase(String p) {
        return prompt -> p.toCharArray();
    }

    private Home open(Path dir, PassphraseSource source) {
        return Home.open(dir, source, rng, FAST);
    }

    private SessionRecord session(String user) {
        var key = new byte[32];
        var token = new byte[32];
        rng.nextBytes(key);
        rng.nextBytes(token);
        return new SessionRecord(new ServerAddress("127.0.0.1", 5555), key, user, 7, token);
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void sessionSurvivesReopeningAndFilesArePrivate() throws Exception {
        Path dir = tmp.resolve("nested/home");
        var s = session("alice");
        try (var home = open(dir, NO_PASSPHRASE)) {
            assertThat(home.hasSession()).isFalse();
            home.saveSession(s);
            home.deviceKey().close();
        }
        assertThat(mode(dir)).isEqualTo("rwx------");
        for (var f : new String[] {Home.KEY_FILE, Home.SESSION_FILE, Home.DEVICE_FILE}) {
            assertThat(mode(dir.resolve(f))).as(f).isEqualTo("rw-------");
        }
        try (var home = open(dir, NO_PASSPHRASE)) {
            assertThat(home.session()).isEqualTo(s);
        }
        try (var stream = Files.list(dir)) {
            assertThat(stream.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));
        }
        assertThat(Files.readString(dir.resolve(Home.SESSION_FILE), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain("alice");
    }

    @Test
    void deviceKeyIsMadeOnceAndKept() {
        byte[] first;
        try (var home = open(tmp, NO_PASSPHRASE); var key = home.deviceKey()) {
            first = key.publicKey();
        }
        try (var home = open(tmp, NO_PASSPHRASE); var key = home.deviceKey()) {
            assertThat(key.publicKey()).isEqualTo(first);
        }
    }

    @Test
    void noSessionTellsTheUserToLogIn() {
        try (var home = open(tmp, NO_PASSPHRASE)) {
            assertThatThrownBy(home::session).hasMessageContaining("not logged in").hasMessageContaining("login");
        }
    }

    @Test
    void tamperedSessionFileIsReported() throws Exception {
        try (var home = open(tmp, NO_PASSPHRASE)) {
            home.saveSession(session("alice"));
        }
        var file = tmp.resolve(Home.SESSION_FILE);
        var bytes = Files.readAllBytes(file);
        bytes[bytes.length - 3] ^= 0x40;
        Files.write(file, bytes);
        try (var home = open(tmp, NO_PASSPHRASE)) {
            assertThatThrownBy(home::session).isInstanceOf(ClientException.class)
                    .hasMessageContaining(Home.SESSION_FILE).hasMessageContaining("integrity check");
        }
    }

    @Test
    void swappedFilesAreReported() throws Exception {
        try (var home = open(tmp, NO_PASSPHRASE)) {
            home.saveSession(session("alice"));
            home.deviceKey().close();
        }
        Files.copy(tmp.resolve(Home.DEVICE_FILE), tmp.resolve(Home.SESSION_FILE),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (var home = open(tmp, NO_PASSPHRASE)) {
            assertThatThrownBy(home::session).hasMessageContaining("integrity check");
        }
    }

    @Test
    void passphraseProtectsTheStoreAndWrongOneIsRefused() throws Exception {
        var s = session("alice");
        byte[] plainKeyFile;
        try (var home = open(tmp, NO_PASSPHRASE)) {
            home.saveSession(s);
            plainKeyFile = Files.readAllBytes(tmp.resolve(Home.KEY_FILE));
            home.changeProtection("open sesame".toCharArray());
            assertThat(home.isPassphraseProtected()).isTrue();
        }
        assertThat(mode(tmp.resolve(Home.KEY_FILE))).isEqualTo("rw-------");
        try (var home = open(tmp, passphrase("open sesame"))) {
            assertThat(home.session()).isEqualTo(s);
        }
        try (var home = open(tmp, passphrase("open sesamE"))) {
            assertThatThrownBy(home::session).isInstanceOf(ClientException.class).hasMessageContaining("wrong passphrase");
        }
        try (var home = open(tmp, NO_PASSPHRASE)) {
            assertThatThrownBy(home::session).hasMessageContaining("no passphrase available");
        }
        // the data was re-encrypted: a copy of the old plain key file no longer opens it
        var saved = Files.readAllBytes(tmp.resolve(Home.KEY_FILE));
        Files.write(tmp.resolve(Home.KEY_FILE), plainKeyFile);
        try (var home = open(tmp, NO_PASSPHRASE)) {
            assertThatThrownBy(home::session).hasMessageContaining("integrity check");
        }
        Files.write(tmp.resolve(Home.KEY_FILE), saved);
    }

    @Test
    void passphraseIsAskedOncePerOpenAndCanBeRemoved() {
        var s = session("alice");
        var asked = new AtomicInteger();
        try (var home = open(tmp, NO_PASSPHRASE)) {
            home.saveSession(s);
            home.changeProtection("pw".toCharArray());
        }
        PassphraseSource counting = prompt -> {
            asked.incrementAndGet();
            return "pw".toCharArray();
        };
        try (var home = open(tmp, counting)) {
            home.session();
            home.saveReceiveState(home.receiveState(s).withLastSeq(5));
            home.changeProtection(null);
            assertThat(home.isPassphraseProtected()).isFalse();
        }
        assertThat(asked).hasValue(1);
        try (var home = open(tmp, NO_PASSPHRASE)) {
            assertThat(home.session()).isEqualTo(s);
            assertThat(home.receiveState(s).lastSeq()).isEqualTo(5);
        }
    }

    @Test
    void interruptedRekeyBeforeCommitIsDiscarded() throws Exception {
        var s = session("alice");
        try (var home = open(tmp, NO_PASSPHRASE)) {
            home.saveSession(s);
        }
        var otherKey = new byte[32];
        rng.nextBytes(otherKey);
        Files.write(tmp.resolve(Home.SESSION_FILE + Home.REKEY_SUFFIX),
                SealedFile.seal(otherKey, "session", new byte[] {1}, rng));
        try (var home = open(tmp, NO_PASSPHRASE)) {
            assertThat(home.session()).isEqualTo(s);
        }
        assertThat(tmp.resolve(Home.SESSION_FILE + Home.REKEY_SUFFIX)).doesNotExist();
    }

    @Test
    void interruptedRekeyAfterCommitIsFinished() throws Exception {
        var s = session("alice");
        try (var home = open(tmp, NO_PASSPHRASE)) {
            home.saveSession(s);
        }
        var newKey = new byte[32];
        rng.nextBytes(newKey);
        Files.write(tmp.resolve(Home.SESSION_FILE + Home.REKEY_SUFFIX), SealedFile.seal(newKey, "session", s.encode(), rng));
        Files.write(tmp.resolve(Home.KEY_FILE), new KeyFile.Plain(newKey).encode());
        try (var home = open(tmp, NO_PASSPHRASE)) {
            assertThat(home.session()).isEqualTo(s);
        }
        assertThat(tmp.resolve(Home.SESSION_FILE + Home.REKEY_SUFFIX)).doesNotExist();
    }

    @Test
    void keyFileReadableByOthersIsRefused() throws Exception {
        try (var home = open(tmp, NO_PASSPHRASE)) {
            home.saveSession(session("alice"));
        }
        Files.setPosixFilePermissions(tmp.resolve(Home.KEY_FILE), PosixFilePermissions.fromString("rw-r--r--"));
        try (var home = open(tmp, NO_PASSPHRASE)) {
            assertThatThrownBy(home::session).hasMessageContaining("too open").hasMessageContaining("chmod 600");
        }
    }

    @Test
    void missingKeyFileMakesSealedFilesUnreadable() throws Exception {
        try (var home = open(tmp, NO_PASSPHRASE)) {
            home.saveSession(session("alice"));
        }
        Files.delete(tmp.resolve(Home.KEY_FILE));
        try (var home = open(tmp, NO_PASSPHRASE)) {
            assertThatThrownBy(home::session).hasMessageContaining("store.key is missing");
            home.prepareForLogin();
            assertThat(home.hasSession()).isFalse();
        }
    }

    @Test
    void receiveStateOfAnotherSessionStartsOver() {
        var alice = session("alice");
        var bob = session("bob");
        try (var home = open(tmp, NO_PASSPHRASE)) {
            home.saveReceiveState(home.receiveState(alice).withLastSeq(40));
            assertThat(home.receiveState(alice).lastSeq()).isEqualTo(40);
            assertThat(home.receiveState(bob).lastSeq()).isZero();
            assertThat(home.receiveState(alice).withLastSeq(3).lastSeq()).isEqualTo(40);
        }
    }

    @Test
    void recentMessageIdsAreKeptWithTheReceiveState() {
        var s = session("alice");
        var id = new crumbhub.wire.MessageId(1, 2);
        try (var home = open(tmp, NO_PASSPHRASE)) {
            ReceiveState state = home.receiveState(s);
            assertThat(state.recent().add("bob", id)).isTrue();
            assertThat(state.recent().add("bob", id)).as("a repeat").isFalse();
            assertThat(state.recent().add("carol", id)).as("the same id from another sender").isTrue();
            home.saveReceiveState(state.withLastSeq(9));
        }
        try (var home = open(tmp, NO_PASSPHRASE)) {
            ReceiveState state = home.receiveState(s);
            assertThat(state.lastSeq()).isEqualTo(9);
            assertThat(state.recent().add("bob", id)).as("remembered across a restart").isFalse();
            assertThat(state.recent().size()).isEqualTo(2);
        }
    }

    @Test
    void theRecentIdWindowKeepsTheNewestPairs() {
        var recent = new RecentIds();
        for (int i = 0; i <= RecentIds.CAPACITY; i++) {
            recent.add("bob", new crumbhub.wire.MessageId(0, i));
        }
        assertThat(recent.size()).isEqualTo(RecentIds.CAPACITY);
        assertThat(recent.contains("bob", new crumbhub.wire.MessageId(0, 0))).isFalse();
        assertThat(recent.contains("bob", new crumbhub.wire.MessageId(0, RecentIds.CAPACITY))).isTrue();
        var back = ReceiveState.decode(new ReceiveState("s", "alice", 1, 3, recent).encode(), "state");
        assertThat(back.recent().contains("bob", new crumbhub.wire.MessageId(0, 1))).isTrue();
        assertThat(back.recent().size()).isEqualTo(RecentIds.CAPACITY);
    }

    @Test
    void aVersionOneReceiveStateStillReads() {
        byte[] v1 = Records.encode(1, out -> {
            out.writeUTF("127.0.0.1:7000");
            out.writeUTF("alice");
            out.writeInt(2);
            out.writeLong(77);
        });
        var state = ReceiveState.decode(v1, "state");
        assertThat(state.lastSeq()).isEqualTo(77);
        assertThat(state.deviceId()).isEqualTo(2);
        assertThat(state.recent().size()).isZero();
    }

    @Test
    void logoutForgetsSessionDeviceAndState() {
        var s = session("alice");
        try (var home = open(tmp, NO_PASSPHRASE)) {
            home.saveSession(s);
            home.saveReceiveState(home.receiveState(s).withLastSeq(4));
            home.deviceKey().close();
            home.deleteSession();
            assertThat(home.hasSession()).isFalse();
        }
        assertThat(tmp.resolve(Home.DEVICE_FILE)).doesNotExist();
        assertThat(tmp.resolve(Home.STATE_FILE)).doesNotExist();
    }

    @Test
    void secondListenerIsRefused() {
        try (var home = open(tmp, NO_PASSPHRASE); var lock = home.lockListener()) {
            assertThat(lock.isHeld()).isTrue();
            try (var other = open(tmp, NO_PASSPHRASE)) {
                assertThatThrownBy(other::lockListener).hasMessageContaining("another crumbhub-client listen");
            }
        }
        try (var home = open(tmp, NO_PASSPHRASE); var again = home.lockListener()) {
            assertThat(again.isHeld()).isTrue();
        }
    }

    @Test
    void sessionToStringHidesTheToken() {
        assertThat(session("alice").toString()).contains("redacted").contains("alice");
    }
}
