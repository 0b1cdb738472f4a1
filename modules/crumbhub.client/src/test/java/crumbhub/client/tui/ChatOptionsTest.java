package crumbhub.client.tui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatOptionsTest {
    @Test
    void noColorSetAndNotEmptyTurnsColoursOff() {
        assertThat(ChatOptions.fromEnvironment(Map.of()).colours()).isTrue();
        assertThat(ChatOptions.fromEnvironment(Map.of("NO_COLOR", "")).colours()).isTrue();
        assertThat(ChatOptions.fromEnvironment(Map.of("NO_COLOR", "1")).colours()).isFalse();
    }
}
