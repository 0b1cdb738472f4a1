package crumbhub.client.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServerAddressTest {
    @Test
    void hostAndPort() {
        assertThat(ServerAddress.parse("Chat.Example.org:6000")).isEqualTo(new ServerAddress("chat.example.org", 6000));
        assertThat(ServerAddress.parse("127.0.0.1:5555").key()).isEqualTo("127.0.0.1:5555");
    }

    @Test
    void portDefaultsTo5555() {
        assertThat(ServerAddress.parse("example.org").port()).isEqualTo(5555);
    }

    @Test
    void ipv6InBrackets() {
        var a = ServerAddress.parse("[::1]:7000");
        assertThat(a.host()).isEqualTo("::1");
        assertThat(a.key()).isEqualTo("[::1]:7000");
        assertThat(ServerAddress.parse(a.key())).isEqualTo(a);
    }

    @Test
    void invalidAddressesAreUsageErrors() {
        for (var bad : new String[] {"", ":5555", "host:", "host:0", "host:70000", "host:x", "::1", "[::1", "a b:1"}) {
            assertThatThrownBy(() -> ServerAddress.parse(bad)).as(bad).hasMessageContaining("invalid server address");
        }
    }
}
