package crumbhub.client.tui;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the chat UI.
 *
 * @param clock the time shown in the status line and used for countdowns and notices
 * @param zone the zone timestamps and day separators are shown in
 * @param colours false under {@code NO_COLOR}: attributes only
 * @param historyLimit input lines remembered for Up/Down
 * @param scrollbackLimit messages kept per conversation
 * @param sizePoll how often the terminal size is checked (resize detection)
 */
public record ChatOptions(Clock clock, ZoneId zone, boolean colours, int historyLimit, int scrollbackLimit,
                          Duration sizePoll) {
    public static final int DEFAULT_HISTORY = 500;
    public static final int DEFAULT_SCROLLBACK = 20_000;
    public static final Duration DEFAULT_SIZE_POLL = Duration.ofMillis(250);

    public ChatOptions {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(sizePoll, "sizePoll");
        if (historyLimit < 1 || scrollbackLimit < 1 || sizePoll.isNegative() || sizePoll.isZero()) {
            throw new IllegalArgumentException("limits and the size poll interval must be positive");
        }
    }

    /** Defaults for this process: system clock and zone; colours unless {@code NO_COLOR} is set and not empty. */
    public static ChatOptions fromEnvironment(Map<String, String> env) {
        String noColour = env.get("NO_COLOR");
        return new ChatOptions(Clock.systemUTC(), ZoneId.systemDefault(), noColour == null || noColour.isEmpty(),
                DEFAULT_HISTORY, DEFAULT_SCROLLBACK, DEFAULT_SIZE_POLL);
    }

    public ChatOptions withClock(Clock c, ZoneId z) {
        return new ChatOptions(c, z, colours, historyLimit, scrollbackLimit, sizePoll);
    }

    public ChatOptions withColours(boolean on) {
        return new ChatOptions(clock, zone, on, historyLimit, scrollbackLimit, sizePoll);
    }
}
