package crumbhub.client.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.client.ClientException;
import crumbhub.client.irc.Gateway;
import crumbhub.client.irc.IrcOptions;
import crumbhub.client.irc.IrcServer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IRC gateway's protocol, line by line over a real socket, with the real server behind it:
 * registration (PASS, NICK, USER, CAP), every command and numeric the gateway answers, the
 * control channel, bad input and the password rules (docs/irc.md).
 */
class IrcGatewayProtocolTest {
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
        irc = gateway(null);
    }

    private IrcServer gateway(byte[] password) {
        var options = new IrcOptions(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), password, 20);
        gateway = new Gateway("alice", options, history, Clock.systemUTC(), alice.rng, alice::engine);
        return IrcServer.start(gateway, options);
    }

    @AfterEach
    void stop() {
        irc.close();
        gateway.shutdown();
        history.close();
        alice.close();
        server.close();
    }

    private RawIrcClient connect() {
        return new RawIrcClient(irc.address());
    }

    @Test
    void registrationWelcomesTheUserWithIsupportMotdAndTheControlChannel() {
        try (var c = connect()) {
            c.send("NICK alice").send("USER alice 0 * :Alice");
            var lines = c.until(" 366 alice &crumbhub ");
            assertThat(lines).anyMatch(l -> l.equals(":crumbhub 001 alice :Welcome to CrumbHub, alice"))
                    .anyMatch(l -> l.startsWith(":crumbhub 002 alice ")).anyMatch(l -> l.startsWith(":crumbhub 003 alice "))
                    .anyMatch(l -> l.startsWith(":crumbhub 004 alice crumbhub "))
                    .anyMatch(l -> l.startsWith(":crumbhub 005 alice ") && l.contains("CHANTYPES=#&")
                            && l.contains("CHATHISTORY=") && l.endsWith(":are supported by this server"))
                    .anyMatch(l -> l.startsWith(":crumbhub 375 alice ")).anyMatch(l -> l.startsWith(":crumbhub 372 alice "))
                    .anyMatch(l -> l.startsWith(":crumbhub 376 alice "))
                    .anyMatch(l -> l.equals(":alice!alice@crumbhub JOIN &crumbhub"))
                    .noneMatch(l -> l.contains(" NICK "));
            c.expect("NOTICE &crumbhub :connected to the CrumbHub server");
        }
    }

    @Test
    void aNickOtherThanTheUserNameIsChangedToIt() {
        try (var c = connect()) {
            c.send("NICK someone").send("USER x 0 * :x");
            assertThat(c.expect(" NICK ")).isEqualTo(":someone!someone@crumbhub NICK alice");
            c.expect(":crumbhub 001 alice ");
            c.expect(" 366 alice &crumbhub ");
            c.send("NICK other");
            assertThat(c.expect(" 432 ")).startsWith(":crumbhub 432 alice other :");
            c.send("NICK");
            c.expect(":crumbhub 431 alice :No nickname given");
            c.send("NICK alice").send("PING same");
            assertThat(c.expect("PONG|432")).contains("PONG");
        }
    }

    @Test
    void capabilityNegotiationHoldsRegistrationUntilCapEnd() {
        try (var c = connect()) {
            c.send("CAP LS 302");
            assertThat(c.expect(" CAP ")).isEqualTo(":crumbhub CAP * LS :server-time message-tags echo-message batch draft/chathistory");
            c.send("NICK alice").send("USER alice 0 * :Alice");
            c.send("CAP REQ :server-time bogus");
            assertThat(c.expect(" CAP ")).isEqualTo(":crumbhub CAP alice NAK :server-time bogus");
            c.send("CAP REQ :server-time message-tags echo-message batch");
            assertThat(c.expect(" CAP ")).isEqualTo(":crumbhub CAP alice ACK :server-time message-tags echo-message batch");
            c.send("CAP LIST");
            assertThat(c.expect(" CAP ")).startsWith(":crumbhub CAP alice LIST :").contains("echo-message");
            c.send("CAP FOO");
            c.expect(":crumbhub 410 alice FOO :Invalid CAP command");
            c.send("PING :before-end");
            assertThat(c.until("PONG")).noneMatch(l -> l.contains(" 001 "));
            c.send("CAP END");
            c.expect(" 001 alice ");
            c.expect(" 366 alice &crumbhub ");
            c.send("CAP REQ :-batch");
            c.expect("CAP alice ACK :-batch");
        }
    }

    @Test
    void commandsBeforeRegistrationAndUnknownOrIncompleteCommandsGetTheirNumerics() {
        try (var c = connect()) {
            c.send("JOIN #dev");
            c.expect(":crumbhub 451 \\* :You have not registered");
            c.send("USER x");
            c.expect(":crumbhub 461 \\* USER :Not enough parameters");
            c.send("PING");
            c.expect(":crumbhub 409 \\* :No origin specified");
            c.send("PING :hello there");
            assertThat(c.expect("PONG")).isEqualTo(":crumbhub PONG crumbhub :hello there");
            c.register("alice");
            c.send("FROB a b");
            c.expect(":crumbhub 421 alice FROB :Unknown command");
            c.send("USER a b c d");
            c.expect(":crumbhub 462 alice :You may not reregister");
            c.send("PASS x");
            c.expect(":crumbhub 462 alice ");
            c.send("PRIVMSG");
            c.expect(":crumbhub 411 alice :No recipient given \\(PRIVMSG\\)");
            c.send("PRIVMSG #dev");
            c.expect(":crumbhub 412 alice :No text to send");
            c.send("JOIN");
            c.expect(":crumbhub 461 alice JOIN :Not enough parameters");
            c.send("KICK #dev");
            c.expect(":crumbhub 461 alice KICK ");
            c.send("INVITE bob");
            c.expect(":crumbhub 461 alice INVITE ");
            c.send("JOIN dev");
            c.expect(":crumbhub 403 alice dev :No such channel");
            c.send("PRIVMSG #" + "x".repeat(300) + " :hi");
            c.expect(":crumbhub 403 alice #x+ :No such channel");
            c.send("PRIVMSG bad\u00a0nick :hi");
            c.expect(" 401 alice ");
            c.send("PRIVMSG bob :\u0001VERSION\u0001");
            c.expect("NOTICE alice :CTCP requests other than ACTION are not sent");
            c.send("MODE #dev");
            c.expect(":crumbhub 324 alice #dev :\\+nt");
            c.send("MODE #dev b");
            c.expect(":crumbhub 368 alice #dev ");
            c.send("MODE #dev +o bob");
            c.expect(":crumbhub 472 alice \\+o ");
            c.send("MODE alice");
            c.expect(":crumbhub 221 alice :\\+i");
            c.send("MODE bob");
            c.expect(":crumbhub 502 alice ");
            c.send("WHOIS bob");
            c.expect(":crumbhub 311 alice bob bob crumbhub \\* :bob");
            c.expect(":crumbhub 318 alice bob ");
            c.send("AWAY :lunch");
            c.expect(":crumbhub 306 alice ");
            c.send("AWAY");
            c.expect(":crumbhub 305 alice ");
            c.send("USERHOST alice");
            c.expect(":crumbhub 302 alice ");
            c.send("ISON bob");
            c.expect(":crumbhub 303 alice :");
            c.send("MOTD");
            c.expect(":crumbhub 376 alice ");
            c.send("VERSION");
            c.expect(":crumbhub 351 alice ");
            c.send("TIME");
            c.expect(":crumbhub 391 alice crumbhub ");
            c.send("NAMES");
            c.expect(":crumbhub 366 alice \\* ");
            c.send("WHO bob");
            c.expect(":crumbhub 352 alice \\* bob crumbhub crumbhub bob H :0 bob");
            c.expect(":crumbhub 315 alice bob ");
            c.send("QUIT :bye");
            assertThat(c.untilClosed()).contains("ERROR :Closing Link: Quit: bye");
        }
    }

    @Test
    void badInputNeverEndsTheGateway() {
        try (var c = connect()) {
            c.register("alice");
            c.send("PRIVMSG #dev :" + "y".repeat(IrcGatewayProtocolTest.TOO_LONG));
            c.expect(":crumbhub 417 alice :Input line was too long");
            c.raw(new byte[] {(byte) 0xff, (byte) 0xfe, 'X', '\r', '\n', 0, 0, '\n', ':', '\r', '\n', '@', '\n', ' ', '\n'});
            c.send("@a=b;c :src").send(":only-a-source").send("@x=\\ PING :tags-and-escapes");
            c.expect("PONG crumbhub :tags-and-escapes");
            c.send("FR\u0000OB x").send("CAP FO\rO").send("JO\rIN");
            c.expect(":crumbhub 421 alice FR_OB :Unknown command");
            c.expect(":crumbhub 410 alice FO O :Invalid CAP command");
            c.expect(":crumbhub 421 alice JO_IN :Unknown command");
            c.send("PING :still here");
            c.expect("PONG crumbhub :still here");
        }
        try (var again = connect()) {
            again.register("alice");
        }
    }

    static final int TOO_LONG = 9_000;

    @Test
    void aFloodingClientIsDisconnected() {
        try (var c = connect()) {
            c.register("alice");
            c.raw("PING :x\r\n".repeat(400).getBytes(StandardCharsets.UTF_8));
            assertThat(c.untilClosed()).contains("ERROR :Closing Link: Excess Flood");
        }
        try (var next = connect()) {
            next.register("alice");
        }
    }

    @Test
    void aWrongOrMissingPasswordIsRefusedAndTheRightOneLetsIn() {
        irc.close();
        gateway.shutdown();
        irc = gateway("s3cret pass".getBytes(StandardCharsets.UTF_8));
        try (var c = connect()) {
            c.send("NICK alice").send("USER alice 0 * :Alice");
            c.expect(":crumbhub 464 alice :Password incorrect");
            assertThat(c.untilClosed()).contains("ERROR :Closing Link: Bad password").noneMatch(l -> l.contains(" 001 "));
        }
        try (var c = connect()) {
            c.send("PASS :s3cret pas").send("NICK alice").send("USER alice 0 * :Alice");
            c.expect(" 464 ");
        }
        try (var c = connect()) {
            c.send("PASS :s3cret pass").send("NICK alice").send("USER alice 0 * :Alice");
            c.expect(":crumbhub 001 alice ");
        }
    }

    @Test
    void aNonLoopbackAddressNeedsAPasswordFileThatOnlyTheUserCanRead() throws Exception {
        assertThatThrownBy(() -> IrcOptions.of("0.0.0.0:6667", Optional.empty(), 20))
                .isInstanceOf(ClientException.class).hasMessageContaining("--password-file");
        Path file = tmp.resolve("irc-password");
        Files.writeString(file, "hunter2\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> IrcOptions.of("0.0.0.0:6667", Optional.of(file), 20))
                .isInstanceOf(ClientException.class).hasMessageContaining("chmod 600");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThat(IrcOptions.of("0.0.0.0:0", Optional.of(file), 20).toString()).contains("password set")
                .doesNotContain("hunter2");
        assertThat(IrcOptions.of("127.0.0.1:0", Optional.empty(), 20).password()).isNull();
        assertThat(IrcOptions.of("[::1]:0", Optional.empty(), 20).listen().getAddress().isLoopbackAddress()).isTrue();
        Files.writeString(file, "\n");
        assertThatThrownBy(() -> IrcOptions.of("0.0.0.0:0", Optional.of(file), 20)).hasMessageContaining("empty");
        assertThatThrownBy(() -> IrcOptions.of("127.0.0.1", Optional.empty(), 20)).hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> IrcOptions.of("127.0.0.1:99999", Optional.empty(), 20)).hasMessageContaining("port");
    }

    @Test
    void roomsMapToChannelsWithJoinTopicNamesWhoListInviteKickAndPart() {
        try (var c = connect()) {
            c.send("CAP LS").send("CAP REQ :server-time message-tags echo-message batch").send("CAP END");
            c.register("alice");
            c.send("JOIN #dev");
            c.expect("NOTICE &crumbhub :created #dev");
            c.expect("^:alice!alice@crumbhub JOIN #dev$");
            c.expect(":crumbhub 331 alice #dev :No topic is set");
            c.expect(":crumbhub 353 alice = #dev :@alice");
            c.expect(":crumbhub 366 alice #dev ");
            c.send("TOPIC #dev :be kind");
            assertThat(c.expect(" TOPIC ")).matches("@time=\\S+;msgid=[0-9a-f]{32} :alice!alice@crumbhub TOPIC #dev :be kind");
            c.send("TOPIC #dev");
            c.expect(":crumbhub 332 alice #dev :be kind");
            c.expect(":crumbhub 333 alice #dev alice :\\d+");
            c.send("INVITE bob #dev");
            c.expect(":crumbhub 341 alice bob :#dev");
            server.run(tmp.resolve("bob"), "", "room", "join", "#dev");
            c.send("NAMES #dev");
            assertThat(c.expect(" 353 ")).isEqualTo(":crumbhub 353 alice = #dev :@alice bob");
            c.send("WHO #dev");
            c.expect(":crumbhub 352 alice #dev alice crumbhub crumbhub alice H@ :0 alice");
            c.expect(":crumbhub 352 alice #dev bob crumbhub crumbhub bob H :0 bob");
            c.expect(":crumbhub 315 alice #dev ");
            c.send("LIST");
            c.expect(":crumbhub 321 alice Channel ");
            c.expect(":crumbhub 322 alice #dev 2 :\\[member\\] be kind");
            c.expect(":crumbhub 323 alice ");
            c.send("PRIVMSG #dev :hello bob");
            assertThat(c.expect("PRIVMSG #dev")).matches("@time=[0-9T:.-]+Z;msgid=([0-9a-f]{32}) "
                    + ":alice!alice@crumbhub PRIVMSG #dev :hello bob");
            c.send("PRIVMSG #dev :\u0001ACTION waves\u0001");
            String waves = c.expect("PRIVMSG #dev :\u0001ACTION waves\u0001");
            String wavesId = waves.replaceAll(".*msgid=([0-9a-f]{32}).*", "$1");
            String wavesTime = waves.replaceAll("^@time=([^;]+);.*", "$1");
            c.send("PRIVMSG #nowhere :hello?");
            c.expect(":crumbhub 404 alice #nowhere :Cannot send to #nowhere: ");
            c.send("KICK #dev bob :bye bob");
            c.expect(":alice!alice@crumbhub KICK #dev bob :bye bob");
            c.send("KICK #dev carol");
            c.expect(":crumbhub 482 alice #dev :Cannot kick carol");
            c.send("JOIN #dev");
            c.send("PING :after-rejoin");
            assertThat(c.until("PONG")).noneMatch(l -> l.contains("JOIN #dev")); // already joined: nothing
            c.send("CHATHISTORY LATEST #dev * 10");
            var batch = c.until("BATCH -");
            assertThat(batch.getFirst()).matches(":crumbhub BATCH \\+(\\S+) chathistory :#dev");
            assertThat(batch).anyMatch(l -> l.matches("@batch=\\S+;time=\\S+;msgid=[0-9a-f]{32} :alice!alice@crumbhub"
                    + " PRIVMSG #dev :hello bob"));
            c.send("CHATHISTORY BEFORE #dev msgid=" + wavesId + " 10");
            var before = c.until("BATCH -");
            assertThat(before).anyMatch(l -> l.endsWith("PRIVMSG #dev :hello bob")).noneMatch(l -> l.contains("waves"));
            c.send("CHATHISTORY BEFORE #dev timestamp=" + wavesTime + " 1");
            assertThat(c.until("BATCH -")).filteredOn(l -> l.contains("PRIVMSG")).singleElement()
                    .satisfies(l -> assertThat(l).endsWith(":hello bob"));
            c.send("CHATHISTORY BEFORE #dev timestamp=yesterday 10");
            c.expect("FAIL CHATHISTORY INVALID_PARAMS BEFORE timestamp=yesterday ");
            c.send("CHATHISTORY LATEST #bad!name * 10");
            c.expect("FAIL CHATHISTORY INVALID_TARGET LATEST ");
            c.send("CHATHISTORY AROUND #dev * 10");
            c.expect("FAIL CHATHISTORY INVALID_PARAMS AROUND ");
            c.send("CHATHISTORY LATEST #dev * many");
            c.expect("FAIL CHATHISTORY INVALID_PARAMS LATEST many ");
            c.send("PART #dev :done");
            c.expect(":alice!alice@crumbhub PART #dev :done");
            c.send("PART #dev");
            c.expect(":crumbhub 442 alice #dev ");
            c.send("JOIN #dev"); // the room ended with its last member: joining makes a new one, with the history kept here
            c.expect("NOTICE &crumbhub :created #dev");
            c.expect("^:alice!alice@crumbhub JOIN #dev$");
            c.expect(":crumbhub 332 alice #dev :be kind");
            assertThat(c.until("BATCH -")).anyMatch(l -> l.endsWith("PRIVMSG #dev :hello bob"));
        }
    }

    @Test
    void theControlChannelListsDevicesAndShowsSafetyNumbers() {
        try (var c = connect()) {
            c.register("alice");
            c.send("PRIVMSG &crumbhub :help");
            c.expect("NOTICE &crumbhub :verify USER: ");
            c.send("PRIVMSG &crumbhub :devices");
            c.expect("NOTICE &crumbhub :device 1 .*\\(this device\\): approved");
            c.send("PRIVMSG &crumbhub :verify bob");
            c.expect("NOTICE &crumbhub :safety number with bob: [0-9]{5}( [0-9]{5}){11}$");
            c.expect("NOTICE &crumbhub :bob is not verified \\(compare the number with them, then: confirm bob\\)");
            c.send("PRIVMSG &crumbhub :confirm bob");
            c.expect("NOTICE &crumbhub :bob is verified");
            c.send("PRIVMSG &crumbhub :verify");
            c.expect("NOTICE &crumbhub :verify USER");
            c.send("PRIVMSG &crumbhub :status");
            c.expect("NOTICE &crumbhub :connected as alice");
            c.send("PRIVMSG &crumbhub :dance");
            c.expect("NOTICE &crumbhub :unknown command 'dance'; say help");
            c.send("TOPIC &crumbhub");
            c.expect(":crumbhub 332 alice &crumbhub ");
            c.send("NAMES &crumbhub");
            c.expect(":crumbhub 353 alice = &crumbhub :@alice");
            c.send("PART &crumbhub");
            c.expect(":alice!alice@crumbhub PART &crumbhub");
        }
    }
}
