package crumbhub.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crumbhub.client.ClientException;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CommandLineTest {
    private final CommandLine cli = new CommandLine(Specs.ALL);

    private static ClientException usageError(Runnable r) {
        try {
            r.run();
        } catch (ClientException e) {
            assertThat(e.kind()).isEqualTo(ClientException.Kind.USAGE);
            return e;
        }
        throw new AssertionError("no usage error");
    }

    @Test
    void sendTakesTheRestOfTheLineAsText() {
        var p = cli.parse("send", "#general", "hello", "there", "world");
        assertThat(p.spec()).isEqualTo(Specs.SEND);
        assertThat(p.positional(0)).isEqualTo("#general");
        assertThat(p.rest(1)).isEqualTo("hello there world");
    }

    @Test
    void globalOptionsGoBeforeOrAfterTheCommand() {
        var p = cli.parse("--home", "/tmp/a", "send", "@bob", "hi", "--debug");
        assertThat(p.home()).contains(Path.of("/tmp/a"));
        assertThat(p.debug()).isTrue();
        assertThat(p.rest(1)).isEqualTo("hi");
        assertThat(cli.parse("send", "@bob", "hi", "--home=/tmp/b").home()).contains(Path.of("/tmp/b"));
    }

    @Test
    void doubleDashEndsOptionsSoTextMayStartWithDashes() {
        var p = cli.parse("send", "#r", "--", "--not-an-option", "-5");
        assertThat(p.rest(1)).isEqualTo("--not-an-option -5");
        assertThat(p.debug()).isFalse();
    }

    @Test
    void singleDashWordsAreText() {
        assertThat(cli.parse("send", "#r", "-1", "degrees").rest(1)).isEqualTo("-1 degrees");
    }

    @Test
    void commandOptionsInBothForms() {
        var p = cli.parse("register", "localhost:5555", "Alice", "--invite", "abc", "--fingerprint=aa bb",
                "--password-stdin");
        assertThat(p.spec()).isEqualTo(Specs.REGISTER);
        assertThat(p.value("invite")).contains("abc");
        assertThat(p.value("fingerprint")).contains("aa bb");
        assertThat(p.flag("password-stdin")).isTrue();
        assertThat(p.flag("debug")).isFalse();
    }

    @Test
    void listenOptions() {
        var p = cli.parse("listen", "--json", "--timeout", "5", "--count=2");
        assertThat(p.flag("json")).isTrue();
        assertThat(p.value("timeout")).contains("5");
        assertThat(p.value("count")).contains("2");
    }

    @Test
    void roomSubcommandsAreTwoWordCommands() {
        assertThat(cli.parse("room", "invite", "#dev", "bob").spec()).isEqualTo(Specs.ROOM_INVITE);
        assertThat(cli.parse("room", "list").spec()).isEqualTo(Specs.ROOM_LIST);
        assertThat(cli.parse("room", "members", "#dev").positionals()).containsExactly("#dev");
    }

    @Test
    void devicesRevokeExtendsDevices() {
        assertThat(cli.parse("devices").spec()).isEqualTo(Specs.DEVICES);
        var p = cli.parse("devices", "revoke", "7");
        assertThat(p.spec()).isEqualTo(Specs.DEVICES_REVOKE);
        assertThat(p.positionals()).containsExactly("7");
    }

    @Test
    void unknownCommandIsAUsageError() {
        assertThat(usageError(() -> cli.parse("frobnicate")).getMessage()).contains("unknown command 'frobnicate'");
        assertThat(usageError(() -> cli.parse("room", "paint", "#x")).getMessage()).contains("room paint");
    }

    @Test
    void missingArgumentIsNamed() {
        assertThat(usageError(() -> cli.parse("send", "#r")).getMessage())
                .contains("missing TEXT").contains("usage: crumbhub-client send TARGET TEXT...");
        assertThat(usageError(() -> cli.parse("login", "h:1")).getMessage()).contains("missing USER");
        assertThat(usageError(() -> cli.parse()).getMessage()).contains("no command");
        assertThat(usageError(() -> cli.parse("room")).getMessage()).contains("needs a subcommand");
    }

    @Test
    void extraArgumentIsRejected() {
        assertThat(usageError(() -> cli.parse("room", "list", "extra")).getMessage()).contains("unexpected argument 'extra'");
    }

    @Test
    void optionsOfOtherCommandsAreRejected() {
        assertThat(usageError(() -> cli.parse("send", "#r", "x", "--json")).getMessage())
                .contains("unknown option --json for send");
        assertThat(usageError(() -> cli.parse("--json", "send", "#r", "x")).getMessage())
                .contains("unknown option --json for send");
        assertThat(usageError(() -> cli.parse("--bogus")).getMessage()).contains("unknown option --bogus");
    }

    @Test
    void malformedOptionsAreRejected() {
        assertThat(usageError(() -> cli.parse("listen", "--timeout")).getMessage()).contains("needs a value");
        assertThat(usageError(() -> cli.parse("listen", "--json=yes")).getMessage()).contains("takes no value");
        assertThat(usageError(() -> cli.parse("listen", "--count", "1", "--count", "2")).getMessage())
                .contains("given twice");
    }

    @Test
    void helpNeedsNoArguments() {
        var p = cli.parse("send", "--help");
        assertThat(p.help()).isTrue();
        assertThat(p.helpTopic()).isEqualTo("send");
        assertThat(cli.parse("help", "room").helpTopic()).isEqualTo("room");
        assertThat(cli.parse("--help").helpTopic()).isNull();
        assertThat(cli.help("send")).contains("usage: crumbhub-client send TARGET TEXT...").contains("--home DIR");
        assertThat(cli.help("room")).contains("room create").contains("room members").doesNotContain("register");
        assertThat(cli.help(null)).contains("register").contains("listen").contains("passphrase");
    }
}
