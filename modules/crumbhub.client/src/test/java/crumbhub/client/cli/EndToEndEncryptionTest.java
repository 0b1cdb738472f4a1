package crumbhub.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.e2e.E2eClient;
import crumbhub.client.home.Home;
import crumbhub.client.message.Delivery;
import crumbhub.client.message.MessageOpener;
import crumbhub.client.net.ClientSession;
import crumbhub.server.Server;
import crumbhub.server.StartupException;
import crumbhub.server.config.HostPort;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.RegistrationMode;
import crumbhub.wire.Frame;
import crumbhub.wire.KeyFrame;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.TargetKind;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end encryption against the real crumbhub-server in-process: what a removed member can
 * read with the server's full cooperation, a user's second device, and the server's view.
 */
class EndToEndEncryptionTest {
    @TempDir
    Path tmp;
    private Server server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start() throws StartupException {
        server = Server.start(ServerOptions.builder().registration(RegistrationMode.OPEN)
                .dataDir(tmp.resolve("data")).listen(new HostPort("127.0.0.1", 0))
                .loopThreads(1).hashThreads(1).passwordIterations(1000)
                .throttle(Duration.ofMillis(100), Duration.ofMillis(400))
                // the refill test takes 189 bundles of one device: no hourly ration of one-time prekeys here
                .abuse(crumbhub.server.config.AbuseLimits.unlimited()).build());
    }

    private String address() {
        return "127.0.0.1:" + server.address().getPort();
    }

    private static void ok(Run.Result r) {
        assertThat(r.exit()).as(r.toString()).isZero();
    }

    private Run registered(String name) {
        var who = new Run(tmp.resolve("home-" + name));
        ok(who.stdin("password of " + name + "\n").run("register", address(), name, "--password-stdin"));
        return who;
    }

    /**
     * What the server hands a device that asks: every DELIVER waiting for it, captured at the
     * library level and not acknowledged (the test plays a cooperating server).
     */
    private static List<MessageFrame.Deliver> deliveries(Path home) throws Exception {
        var frames = new LinkedBlockingQueue<Frame>();
        try (var h = Home.open(home, prompt -> null, new SecureRandom(), 1000); var key = h.deviceKey()) {
            var record = h.session();
            try (var session = ClientSession.connect(record.server(), key, k -> { }, ClientSession.Options.DEFAULT,
                    frames::add)) {
                session.resume(record.user(), (int) record.deviceId(), record.token());
                session.call("sync", MessageFrame.Sync::new, MessageFrame.SyncDone.class);
            }
        }
        var out = new ArrayList<MessageFrame.Deliver>();
        for (Frame f; (f = frames.poll(0, TimeUnit.MILLISECONDS)) != null; ) {
            if (f instanceof MessageFrame.Deliver d) {
                out.add(d);
            }
        }
        return out;
    }

    /**
     * Opens deliveries with the key store in {@code home}, as that device would (with a session,
     * to look up the approval of senders it has not checked yet).
     */
    private static List<MessageOpener.Result> openWith(Path home, List<MessageFrame.Deliver> deliveries, List<String> warnings) {
        try (var h = Home.open(home, prompt -> null, new SecureRandom(), 1000); var key = h.deviceKey()) {
            var record = h.session();
            var e2e = E2eClient.create(h, record.user(), record.deviceId(), new SecureRandom(), Clock.systemUTC(),
                    warnings::add);
            try (var session = ClientSession.connect(record.server(), key, k -> { }, ClientSession.Options.DEFAULT,
                    f -> { })) {
                session.resume(record.user(), (int) record.deviceId(), record.token());
                e2e.attach(session);
                var out = new ArrayList<MessageOpener.Result>();
                for (MessageFrame.Deliver d : deliveries) {
                    out.add(e2e.open(Delivery.of(d)));
                }
                return out;
            }
        }
    }

    /** Logs {@code user} in on a new device in {@code dir} and approves it from {@code approver} with the code it shows. */
    private Run approvedDevice(Run approver, String user, String dir) {
        var device = new Run(tmp.resolve(dir));
        var login = device.stdin("password of " + user + "\n").run("login", address(), user, "--password-stdin");
        ok(login);
        String id = login.out().replaceAll("(?s).*\\(device (\\d+)\\).*", "$1");
        String code = login.lines().stream().filter(l -> l.startsWith("approval code: ")).findFirst().orElseThrow()
                .substring("approval code: ".length());
        ok(approver.run("devices", "approve", id, "--code", code));
        return device;
    }

    private static List<String> texts(List<MessageOpener.Result> results) {
        return results.stream().filter(r -> r instanceof MessageOpener.Result.Opened)
                .map(r -> ((MessageOpener.Result.Opened) r).text()).toList();
    }

    @Test
    void removedMemberCannotDecryptLaterMessagesEvenWithTheServersHelp() throws Exception {
        start();
        var alice = registered("alice");
        var bob = registered("bob");
        var carol = registered("carol");
        ok(alice.run("room", "create", "#team"));
        ok(alice.run("room", "invite", "#team", "bob"));
        ok(alice.run("room", "invite", "#team", "carol"));
        ok(bob.run("room", "join", "#team"));
        ok(carol.run("room", "join", "#team"));
        ok(alice.run("send", "#team", "before the kick"));
        ok(bob.run("send", "#team", "bob before the kick"));
        ok(carol.run("listen", "--count", "2", "--timeout", "10"));
        // the others read (and acknowledge) what came before, so the server holds only what follows
        ok(bob.run("listen", "--count", "1", "--timeout", "10"));
        ok(alice.run("listen", "--count", "1", "--timeout", "10"));
        ok(alice.run("room", "kick", "#team", "carol"));
        ok(alice.run("send", "#team", "after the kick: canary-7f3a"));
        ok(bob.run("send", "#team", "bob after the kick: canary-7f3a"));

        // everything the server holds for bob since the kick: room messages and bob's key updates
        List<MessageFrame.Deliver> forBob = deliveries(bob.home());
        List<MessageFrame.Deliver> roomAfter = forBob.stream()
                .filter(d -> d.kind() == TargetKind.ROOM && d.alg() == 2).toList();
        assertThat(roomAfter).isNotEmpty();
        List<MessageFrame.Deliver> forAlice = deliveries(alice.home()).stream()
                .filter(d -> d.kind() == TargetKind.ROOM).toList();
        var handed = new ArrayList<MessageFrame.Deliver>(forBob);
        handed.addAll(forAlice);

        var carolWarnings = new ArrayList<String>();
        List<MessageOpener.Result> carolReads = openWith(carol.home(), handed, carolWarnings);
        assertThat(texts(carolReads)).noneMatch(t -> t.contains("canary-7f3a"));
        assertThat(carolReads).allMatch(r -> !(r instanceof MessageOpener.Result.Opened));
        // the same ciphertext is readable by those who are still members
        assertThat(texts(openWith(bob.home(), forBob, new ArrayList<>()))).contains("after the kick: canary-7f3a");
    }

    @Test
    void aNewMemberCannotReadWhatWasSentBeforeTheyJoined() throws Exception {
        start();
        var alice = registered("alice");
        var dave = registered("dave");
        ok(alice.run("room", "create", "#ops"));
        ok(alice.run("send", "#ops", "secret before dave"));
        ok(alice.run("room", "invite", "#ops", "dave"));
        ok(dave.run("room", "join", "#ops"));
        ok(alice.run("send", "#ops", "welcome dave"));
        var davesView = deliveries(dave.home());
        var results = openWith(dave.home(), davesView, new ArrayList<>());
        assertThat(texts(results)).containsExactly("welcome dave");
    }

    @Test
    void aSecondDeviceOfTheSameUserReceivesRoomsAndDirectMessagesSentAfterItsLogin() throws Exception {
        start();
        var alice = registered("alice");
        var bob = registered("bob");
        ok(alice.run("room", "create", "#general"));
        ok(alice.run("room", "invite", "#general", "bob"));
        ok(bob.run("room", "join", "#general"));
        ok(bob.run("send", "#general", "before the second device"));
        ok(bob.run("send", "@alice", "dm before the second device"));

        var phone = approvedDevice(alice, "alice", "home-alice-phone");

        ok(bob.run("send", "#general", "room after"));
        ok(bob.run("send", "@alice", "dm after"));
        ok(alice.run("send", "@bob", "from the laptop"));
        ok(alice.run("send", "#general", "laptop in the room"));

        var seen = phone.run("listen", "--json", "--count", "4", "--timeout", "15");
        ok(seen);
        assertThat(seen.err()).doesNotContain("cannot read");
        assertThat(seen.lines()).hasSize(4);
        assertThat(seen.lines().get(0)).contains("\"room\":\"#general\",\"from\":\"bob\",\"text\":\"room after\"");
        assertThat(seen.lines().get(1)).contains("\"room\":\"@bob\",\"from\":\"bob\",\"text\":\"dm after\"");
        assertThat(seen.lines().get(2)).contains("\"room\":\"@bob\",\"from\":\"alice\",\"text\":\"from the laptop\"");
        assertThat(seen.lines().get(3)).contains("\"room\":\"#general\",\"from\":\"alice\",\"text\":\"laptop in the room\"");
        // the first device sees bob's messages, the phone's key updates stay silent
        var laptop = alice.run("listen", "--json", "--count", "4", "--timeout", "15");
        ok(laptop);
        assertThat(laptop.lines()).extracting(l -> l.replaceAll(".*\"text\":\"([^\"]*)\".*", "$1"))
                .containsExactly("before the second device", "dm before the second device", "room after", "dm after");
    }

    /** Asks the server for {@code n} bundles of device 1 of {@code user}; returns how many came with a one-time prekey. */
    private static int takeBundles(Path asHome, String user, int n) throws Exception {
        try (var h = Home.open(asHome, prompt -> null, new SecureRandom(), 1000); var key = h.deviceKey()) {
            var record = h.session();
            try (var session = ClientSession.connect(record.server(), key, k -> { }, ClientSession.Options.DEFAULT,
                    f -> { })) {
                session.resume(record.user(), (int) record.deviceId(), record.token());
                int withOneTime = 0;
                for (int i = 0; i < n; i++) {
                    var reply = session.call("bundles", id -> new KeyFrame.KeyBundles(id, user, List.of(1)),
                            KeyFrame.KeyBundlesReply.class);
                    if (reply.bundles().get(0).oneTimePreKey().length > 0) {
                        withOneTime++;
                    }
                }
                return withOneTime;
            }
        }
    }

    @Test
    void oneTimePrekeysAreRefilledWhenTheServerSaysTheyRunLow() throws Exception {
        start();
        var alice = registered("alice");
        var bob = registered("bob");
        assertThat(takeBundles(alice.home(), "bob", 90)).isEqualTo(90);
        // bob's next connection hears that 10 are left and uploads more
        ok(bob.run("listen", "--timeout", "1"));
        assertThat(takeBundles(alice.home(), "bob", 99)).isEqualTo(99);
        // the last key left is one of the new ones: a new contact's session started with it opens on bob's side
        var carol = registered("carol");
        ok(carol.run("send", "@bob", "hi from a new contact"));
        var seen = bob.run("listen", "--count", "1", "--timeout", "10");
        ok(seen);
        assertThat(seen.out()).contains("hi from a new contact");
    }

    @Test
    void aDirectMessageToSomeoneWhoDoesNotExistIsRefusedByTheServer() throws Exception {
        start();
        var alice = registered("alice");
        var r = alice.run("send", "@nobody", "hello?");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("crumbhub-client: send to @nobody refused by the server: no such user (not_found)\n");
        ok(alice.run("send", "@alice", "a note to myself, with no other device"));
    }

    @Test
    void aDirectMessageHasOneIdOnEveryDeviceAndRepeatedDeliveriesOpenTheSame() throws Exception {
        start();
        var alice = registered("alice");
        var bob = registered("bob");
        var bobPhone = approvedDevice(bob, "bob", "home-bob-phone");
        ok(alice.run("send", "@bob", "same id everywhere"));
        var one = bob.run("listen", "--json", "--count", "1", "--timeout", "10");
        var two = bobPhone.run("listen", "--json", "--count", "1", "--timeout", "10");
        ok(one);
        ok(two);
        String id = one.out().replaceAll("(?s).*\"id\":\"([0-9a-f]{32})\".*", "$1");
        assertThat(two.out()).contains("\"id\":\"" + id + "\"");
        // listen acknowledged it; a server replaying the same delivery gets the same text, not an error
        var replay = new MessageFrame.Deliver(0, TargetKind.DIRECT, "bob", "alice", 1, 1, 1,
                crumbhub.wire.MessageId.parse(id), 1, new byte[0]);
        assertThat(openWith(bob.home(), List.of(replay), new ArrayList<>()).get(0))
                .isInstanceOf(MessageOpener.Result.Unreadable.class);
    }
}
