package crumbhub.server;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.server.config.HostPort;
import crumbhub.server.config.ServerOptions;
import crumbhub.server.domain.Message;
import crumbhub.server.domain.Quotas;
import crumbhub.server.domain.RegistrationMode;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.Frame;
import crumbhub.wire.Limits;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.MessageId;
import crumbhub.wire.RoomFrame;
import crumbhub.wire.TargetKind;
import crumbhub.wire.loop.EventLoopGroup;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 1 of the abuse review, on a whole server over real sockets: one account flooding real
 * offline users' mailboxes with the largest messages gets {@code quota} errors once it holds its
 * share of each mailbox and its sender quota, so what the server keeps (heap and store) stays
 * within the quotas, while everyone else, the flooded users included, keeps chatting. Before the
 * quotas every message was kept for 30 days (226 MB in 43 s in the review).
 */
class MailboxFloodTest {
    /** Mailboxes of 4 MiB (2 MiB for one sender) and 5 MiB per sender: a flood of 14 MB meets both. */
    static final Quotas QUOTAS = Quotas.defaults().withMailbox(10_000, 4L << 20).withSenderBytes(5L << 20);
    private static final int FLOOD_PER_TARGET = 80;
    private static EventLoopGroup clientLoops;

    @TempDir
    Path data;
    private Server server;
    private final List<TestClient> clients = new ArrayList<>();

    @BeforeAll
    static void loops() {
        clientLoops = new EventLoopGroup("test-client", 1);
    }

    @AfterAll
    static void stopLoops() {
        clientLoops.close();
    }

    @AfterEach
    void stop() {
        clients.forEach(TestClient::close);
        if (server != null) {
            server.close();
        }
    }

    private TestClient connect() throws Exception {
        var c = new TestClient(server.address(), clientLoops.next(), TestClient.newKey());
        clients.add(c);
        return c;
    }

    /** Sends {@code n} of the largest messages to {@code target}, 8 (480 KB) in flight at a time; returns the replies. */
    static List<Frame> flood(TestClient from, String target, int n) throws Exception {
        byte[] body = new byte[Limits.BODY];
        var replies = new ArrayList<Frame>();
        for (int sent = 0; sent < n; ) {
            var window = new ArrayList<CompletableFuture<Frame>>();
            for (int i = 0; i < 8 && sent < n; i++, sent++) {
                window.add(from.rpc.request(id -> new MessageFrame.Send(id, TargetKind.DIRECT, target,
                        MessageId.random(TestClient.RANDOM), 0, body)));
            }
            for (var f : window) {
                replies.add(f.get(30, TimeUnit.SECONDS));
            }
        }
        return replies;
    }

    private static long accepted(List<Frame> replies) {
        return replies.stream().filter(MessageFrame.SendOk.class::isInstance).count();
    }

    private static List<ControlFrame.Error> refusals(List<Frame> replies) {
        return replies.stream().filter(ControlFrame.Error.class::isInstance).map(ControlFrame.Error.class::cast).toList();
    }

    private String metrics() throws IOException {
        var a = server.metricsAddress();
        try (Socket s = new Socket(a.getAddress(), a.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /metrics HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static long sample(String metrics, String line) {
        return metrics.lines().filter(l -> l.startsWith(line + " ")).findFirst()
                .map(l -> Long.parseLong(l.substring(line.length() + 1))).orElseThrow(() -> new AssertionError(line));
    }

    static long bytesOnDisk(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }).sum();
        }
    }

    private ServerOptions options() {
        return ServerOptions.builder().registration(RegistrationMode.OPEN).dataDir(data)
                .listen(new HostPort("127.0.0.1", 0)).metrics(new HostPort("127.0.0.1", 0)).loopThreads(1)
                .hashThreads(1).passwordIterations(1000).throttle(Duration.ofMillis(50), Duration.ofMillis(200))
                .quotas(QUOTAS).build();
    }

    @Test
    void aRestartFromASnapshotAndTheLogKeepsTheQuotasUsedUp() throws Exception {
        // a snapshot every 1 MiB of log: the restart loads one and replays the records after it
        server = Server.start(options().toBuilder().snapshotLogBytes(1L << 20).build());
        connect().register("bob", "password-b").close();
        var mallory = connect().register("mallory", "password-m");
        int share = (int) (QUOTAS.mailboxBytes() / 2 / (Limits.BODY + Message.OVERHEAD_BYTES));
        assertThat(accepted(flood(mallory, "bob", share + 5))).isEqualTo(share);
        var malloryAuth = mallory.auth;
        var malloryKey = mallory.key;
        clients.forEach(TestClient::close);
        clients.clear();
        server.close();

        server = Server.start(options());
        var again = new TestClient(server.address(), clientLoops.next(), malloryKey);
        clients.add(again);
        again.resume(malloryAuth);
        assertThat(refusals(flood(again, "bob", 1))).singleElement()
                .satisfies(e -> assertThat(e.errorCode()).contains(ErrorCode.QUOTA));
        assertThat(sample(metrics(), "crumbhub_sender_largest_waiting_bytes"))
                .isEqualTo((long) share * Message.held(Limits.BODY, 1));
    }

    @Test
    void aFloodOfOfflineMailboxesGetsQuotaErrorsWhileEveryoneElseKeepsChatting() throws Exception {
        server = Server.start(options());
        var bob = connect().register("bob", "password-b");
        var carol = connect().register("carol", "password-c");
        connect().register("erin", "password-e").close();
        var alice = connect().register("alice", "password-a");
        var dave = connect().register("dave", "password-d");
        var mallory = connect().register("mallory", "password-m");
        alice.call(id -> new RoomFrame.RoomCreate(id, "ops"), ControlFrame.Ok.class);
        alice.call(id -> new RoomFrame.RoomInvite(id, "ops", "dave"), ControlFrame.Ok.class);
        dave.call(id -> new RoomFrame.RoomJoin(id, "ops"), ControlFrame.Ok.class);
        dave.sync();
        var bobAuth = bob.auth;
        bob.close();
        carol.close();

        long charge = Limits.BODY + Message.OVERHEAD_BYTES;
        int share = (int) (QUOTAS.mailboxBytes() / 2 / charge);
        List<Frame> toBob = flood(mallory, "bob", FLOOD_PER_TARGET);
        assertThat(accepted(toBob)).as("mallory's share of bob's mailbox").isEqualTo(share);
        assertThat(refusals(toBob)).hasSize(FLOOD_PER_TARGET - share).allSatisfy(e -> {
            assertThat(e.errorCode()).contains(ErrorCode.QUOTA);
            assertThat(e.message()).contains("waiting in bob's mailbox, as much as one sender may");
        });

        // everyone else keeps chatting, with each other and with the flooded user
        alice.send(TargetKind.ROOM, "ops", "still here?");
        assertThat(TestClient.text(dave.nextPush())).isEqualTo("still here?");
        alice.send(TargetKind.DIRECT, "bob", "bob, call me");

        List<Frame> toCarol = flood(mallory, "carol", FLOOD_PER_TARGET);
        List<Frame> toErin = flood(mallory, "erin", FLOOD_PER_TARGET);
        assertThat(accepted(toCarol)).isEqualTo(share);
        long held = Message.held(Limits.BODY, 1);
        long senderRoom = (QUOTAS.senderBytes() - 2L * share * held) / held;
        assertThat(accepted(toErin)).as("what the sender quota leaves for erin").isEqualTo(senderRoom);
        assertThat(refusals(toErin).getLast().message()).startsWith("you have 4.9 MiB of messages waiting for their recipients");

        String m = metrics();
        long waiting = sample(m, "crumbhub_messages_waiting_bytes");
        assertThat(waiting).as("what the server holds").isLessThanOrEqualTo(QUOTAS.senderBytes() + 2 * charge);
        assertThat(sample(m, "crumbhub_sender_largest_waiting_bytes")).isLessThanOrEqualTo(QUOTAS.senderBytes());
        assertThat(sample(m, "crumbhub_mailbox_largest_bytes")).isLessThanOrEqualTo(QUOTAS.mailboxBytes());
        assertThat(sample(m, "crumbhub_quota_refusals_total{quota=\"mailbox_bytes\"}"))
                .isEqualTo(2L * (FLOOD_PER_TARGET - share));
        assertThat(sample(m, "crumbhub_quota_refusals_total{quota=\"sender_bytes\"}")).isEqualTo(FLOOD_PER_TARGET - senderRoom);
        assertThat(bytesOnDisk(data)).as("the data directory: the log of what was accepted, plus one preallocation step")
                .isLessThanOrEqualTo(QUOTAS.senderBytes() + (4L << 20) + (1L << 20));

        // bob comes back, reads, and his mailbox takes messages again
        var bobAgain = new TestClient(server.address(), clientLoops.next(), bob.key);
        clients.add(bobAgain);
        bobAgain.resume(bobAuth);
        var synced = bobAgain.sync();
        assertThat(synced).hasSize(share + 1);
        assertThat(TestClient.text(synced.getLast())).isEqualTo("bob, call me");
        bobAgain.ack(synced.getLast().seq());
        assertThat(accepted(flood(mallory, "bob", 1))).isEqualTo(1);
    }
}
