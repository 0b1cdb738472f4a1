package crumbhub.client.chat;

import static org.assertj.core.api.Assertions.assertThat;

import crumbhub.client.irc.Gateway;
import crumbhub.client.irc.IrcOptions;
import crumbhub.client.irc.IrcServer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IRC gateway with the real server and a second user on the command line: what bob sends
 * with {@code send} reaches the IRC client, what the IRC client says reaches bob's
 * {@code listen}, messages sent while no IRC client was connected arrive when one connects, and a
 * changed account identity is a notice in {@code &crumbhub}.
 */
class IrcGatewayLoopbackTest {
    @TempDir
    Path tmp;

    private LiveServer server;
    private Account alice;
    private HistoryRecorder history;
    private Gateway gateway;
    private IrcServer irc;

    @BeforeEach
    void start() throws Exception {
        server = new LiveServer(tmp.resolve("data"));
        server.register(tmp.resolve("alice"), "alice");
        server.register(tmp.resolve("bob"), "bob");
        alice = new Account(tmp.resolve("alice"));
        history = new HistoryRecorder(alice.history(), "alice");
        var options = new IrcOptions(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null, 20);
        gateway = new Gateway("alice", options, history, Clock.systemUTC(), alice.rng, alice::engine);
        irc = IrcServer.start(gateway, options);
    }

    @AfterEach
    void stop() {
        irc.close();
        gateway.shutdown();
        history.close();
        alice.close();
        server.close();
    }

    private RawIrcClient client(String... caps) {
        var c = new RawIrcClient(irc.address());
        if (caps.length > 0) {
            c.send("CAP LS 302").send("CAP REQ :" + String.join(" ", caps)).send("CAP END");
        }
        c.register("alice");
        c.expect("NOTICE &crumbhub :connected");
        return c;
    }

    private String bob(String... args) {
        return server.run(tmp.resolve("bob"), "", args);
    }

    @Test
    void messagesFlowBothWaysBetweenAnIrcClientAndACommandLineUser() {
        try (var c = client("server-time", "message-tags")) {
            c.send("JOIN #dev");
            c.expect(" 366 alice #dev ");
            c.send("INVITE bob #dev");
            c.expect(" 341 alice bob ");
            bob("room", "join", "#dev");
            bob("send", "#dev", "hi from the command line");
            assertThat(c.expect("PRIVMSG #dev :hi from")).matches("@time=[0-9T:.-]+Z;msgid=[0-9a-f]{32} "
                    + ":bob!bob@crumbhub PRIVMSG #dev :hi from the command line");
            bob("send", "@alice", "a direct line\nand a second one");
            c.expect("^@time=\\S+;msgid=[0-9a-f]{32} :bob!bob@crumbhub PRIVMSG alice :a direct line$");
            c.expect("^@time=\\S+ :bob!bob@crumbhub PRIVMSG alice :and a second one$");

            c.send("PRIVMSG #dev :hello bob");
            c.send("PRIVMSG #dev :\u0001ACTION waves\u0001");
            c.send("PRIVMSG bob :just you");
            String heard = server.run(tmp.resolve("bob"), "", "listen", "--json", "--count", "3", "--timeout", "20");
            assertThat(heard).contains("\"room\":\"#dev\",\"from\":\"alice\",\"text\":\"hello bob\"")
                    .contains("\"from\":\"alice\",\"text\":\"just you\"").contains("waves");
            assertThat(bob("history", "#dev")).contains("waves");
        }
    }

    @Test
    void aMessageCarryingLineBreaksCannotInjectIrcCommands() {
        try (var c = client()) {
            bob("send", "@alice", "harmless\r\nQUIT :injected\r\nPRIVMSG #x :y");
            c.expect("PRIVMSG alice :harmless$");
            c.expect("PRIVMSG alice :QUIT :injected$");
            c.expect("PRIVMSG alice :PRIVMSG #x :y$");
            c.send("PING :alive");
            c.expect("PONG crumbhub :alive");
        }
    }

    @Test
    void messagesSentWhileNoIrcClientIsConnectedArriveWhenOneConnects() {
        try (var c = client()) {
            c.send("JOIN #dev");
            c.expect(" 366 alice #dev ");
            c.send("INVITE bob #dev");
            c.expect(" 341 alice bob ");
            bob("room", "join", "#dev");
            bob("send", "#dev", "while you are here");
            c.expect("PRIVMSG #dev :while you are here");
            c.send("QUIT :gone");
            c.untilClosed();
        }
        bob("send", "#dev", "while you were away");
        bob("send", "@alice", "a direct one too");
        try (var c = client("server-time", "batch")) {
            var joined = c.until("PRIVMSG alice :a direct one too");
            assertThat(joined).anyMatch(l -> l.equals(":alice!alice@crumbhub JOIN #dev"))
                    .anyMatch(l -> l.matches("@batch=\\S+;time=\\S+ :bob!bob@crumbhub PRIVMSG #dev :while you are here"))
                    .anyMatch(l -> l.matches("@time=\\S+ :bob!bob@crumbhub PRIVMSG #dev :while you were away"));
            // the replayed history comes before the offline messages, and nothing twice
            assertThat(joined.stream().filter(l -> l.contains("while you were away")).count()).isEqualTo(1);
        }
        try (var c = client()) {
            c.send("PING :nothing-more");
            assertThat(c.until("PONG")).noneMatch(l -> l.contains("while you were away") && !l.startsWith(":bob") && !l.contains("["))
                    .noneMatch(l -> l.contains(":bob!bob@crumbhub PRIVMSG #dev :while you were away"));
        }
    }

    @Test
    void aSecondIrcClientTakesOverTheFirst() {
        try (var first = client(); var second = client()) {
            assertThat(first.untilClosed()).anyMatch(l -> l.startsWith("ERROR :Closing Link: Another IRC client"));
            bob("send", "@alice", "to whoever is here");
            second.expect("PRIVMSG alice :to whoever is here");
        }
    }

    @Test
    void aChangedAccountIdentityIsANoticeInTheControlChannel() {
        try (var c = client()) {
            bob("send", "@alice", "before the reset");
            c.expect("PRIVMSG alice :before the reset");
            server.run(tmp.resolve("bob-new"), "password of bob\n", "login", server.address(), "bob", "--password-stdin",
                    "--new-identity");
            server.run(tmp.resolve("bob-new"), "", "send", "@alice", "after the reset");
            c.expect("NOTICE &crumbhub :warning: .*bob.*(CHANGED|changed)");
        }
    }
}
