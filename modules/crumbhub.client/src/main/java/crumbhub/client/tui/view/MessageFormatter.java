package crumbhub.client.tui.view;

import crumbhub.client.model.ChatMessage;
import crumbhub.client.tui.chat.ChatState;
import crumbhub.client.tui.text.Span;
import crumbhub.client.tui.text.Style;
import crumbhub.client.tui.text.StyledLine;
import crumbhub.client.tui.text.Wrap;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Lays out one message as screen rows:
 * <pre>
 * --- Thursday 26 November 2026 ---          (before the first message of a day)
 * 14:03 &lt;alice&gt; the text, wrapped with a hanging
 *               indent under its first word
 * 14:04  * alice waves
 * 14:05 -!- notices and errors from the client
 * 14:06…&lt;bob&gt; a message still pending (queued while offline)
 * </pre>
 * Nicks have a colour each; a message that mentions the user has its nick highlighted.
 */
public final class MessageFormatter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEEE d MMMM uuuu", Locale.ENGLISH);

    private final Theme theme;
    private final ZoneId zone;

    public MessageFormatter(Theme theme, ZoneId zone) {
        this.theme = theme;
        this.zone = zone;
    }

    /** The day separator text for a message's local date. */
    public String daySeparator(ChatMessage message) {
        return "--- " + DAY.format(message.time().atZone(zone)) + " ---";
    }

    /** Whether {@code a} and {@code b} fall on the same local day. */
    public boolean sameDay(ChatMessage a, ChatMessage b) {
        return a.time().atZone(zone).toLocalDate().equals(b.time().atZone(zone).toLocalDate());
    }

    /** Rows of {@code message} at {@code width} columns, preceded by a day separator if asked. */
    public List<StyledLine> layout(ChatMessage message, boolean separator, int width, String ownUser) {
        var rows = new ArrayList<StyledLine>();
        if (separator) {
            rows.add(StyledLine.of(new Span(daySeparator(message), theme.separator)));
        }
        var spans = new ArrayList<Span>();
        String time = TIME.format(message.time().atZone(zone));
        spans.add(new Span(time, message.pending() ? theme.pending : theme.time));
        spans.add(new Span(message.pending() ? "…" : " ", theme.pending));
        boolean own = !ownUser.isEmpty() && message.from().equals(ownUser);
        boolean mention = !own && message.fromSomeone() && ChatState.mentions(message.text(), ownUser);
        switch (message.kind()) {
            case TEXT -> {
                Style nickStyle = mention ? theme.mention : theme.nick(message.from(), own);
                spans.add(new Span("<", theme.time));
                spans.add(new Span(message.from(), nickStyle));
                spans.add(new Span("> ", theme.time));
                spans.add(new Span(crumbhub.client.format.FileFormat.chatText(message.text()),
                        message.pending() ? theme.pending : theme.text));
            }
            case ACTION -> {
                spans.add(new Span(" * ", theme.text));
                spans.add(new Span(message.from(), mention ? theme.mention : theme.nick(message.from(), own)));
                spans.add(new Span(" " + message.text(), message.pending() ? theme.pending : theme.text));
            }
            case NOTICE -> {
                spans.add(new Span("-!- ", theme.notice));
                spans.add(new Span(message.text(), theme.text));
            }
            case ERROR -> {
                spans.add(new Span("-!- ", theme.error));
                spans.add(new Span(message.text(), theme.error));
            }
        }
        int indent = 0;
        for (int i = 0; i < spans.size() - 1; i++) {
            indent += spans.get(i).width();
        }
        rows.addAll(Wrap.wrap(spans, width, indent));
        return rows;
    }
}
