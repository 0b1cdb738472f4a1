package crumbhub.client.tui.view;

import crumbhub.client.model.ConnectionState;
import crumbhub.client.model.ConversationId;
import crumbhub.client.tui.chat.ChatState;
import crumbhub.client.tui.chat.Conversation;
import crumbhub.client.tui.input.LineEditor;
import crumbhub.client.tui.term.ScreenBuffer;
import crumbhub.client.tui.text.DisplayWidth;
import crumbhub.client.tui.text.Span;
import crumbhub.client.tui.text.Style;
import crumbhub.client.tui.text.StyledLine;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws a whole frame of the chat screen into a {@link ScreenBuffer}: title or conversation bar,
 * conversation list, message pane, status line and input line, as {@link Layout} places them.
 * Drawing is cheap (only visible rows are laid out); {@code Display} then sends the difference.
 * UI thread only.
 */
public final class ChatRenderer {
    /** Where the terminal's cursor goes; row -1 hides it. */
    public record Cursor(int row, int col) {
    }

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);

    private final Theme theme;
    private final MessagePane pane;
    private final ZoneId zone;
    private Layout layout;

    public ChatRenderer(Theme theme, ZoneId zone) {
        this.theme = theme;
        this.zone = zone;
        this.pane = new MessagePane(new MessageFormatter(theme, zone));
    }

    public MessagePane pane() {
        return pane;
    }

    /** The layout of the last frame drawn. */
    public Layout layout() {
        return layout;
    }

    public Cursor render(ChatState state, LineEditor editor, ScreenBuffer screen, Instant now) {
        var conversations = state.conversations();
        layout = Layout.of(screen.width(), screen.height(), conversations);
        pane.ownUser(state.user());
        if (layout.mode() == Layout.Mode.TOO_SMALL) {
            screen.put(0, 0, "window too small", theme.error);
            return new Cursor(-1, 0);
        }
        if (layout.mode() == Layout.Mode.WIDE) {
            drawTitle(state, screen);
            drawList(state, conversations, screen);
        } else {
            drawBar(state, conversations, screen);
        }
        drawMessages(state.current(), screen);
        drawStatus(state, screen, now);
        return drawInput(state, editor, screen);
    }

    private void drawTitle(ChatState state, ScreenBuffer screen) {
        screen.fill(0, 0, screen.width(), theme.bar);
        Conversation c = state.current();
        String title = switch (c.id().kind()) {
            case STATUS -> "CrumbHub" + (state.server().isEmpty() ? "" : " · " + state.server())
                    + " · type /help for commands";
            case ROOM -> c.id().label() + (c.topic().isEmpty() ? "" : ": " + c.topic());
            case DIRECT -> c.id().label() + " · direct conversation, end-to-end encrypted";
        };
        screen.put(0, 1, title, theme.bar, screen.width() - 1);
    }

    private void drawList(ChatState state, List<Conversation> conversations, ScreenBuffer screen) {
        int rows = layout.paneHeight();
        int at = conversations.indexOf(state.current());
        int first = at < rows ? 0 : at - rows + 1;
        for (int r = 0; r < rows; r++) {
            int row = layout.paneTop() + r;
            screen.put(row, layout.listWidth(), "│", theme.divider);
            int i = first + r;
            if (i >= conversations.size()) {
                continue;
            }
            Conversation c = conversations.get(i);
            boolean current = c == state.current();
            Style label = current ? theme.listCurrent
                    : c.highlight() ? theme.listHighlight : c.unread() > 0 ? theme.listUnread : theme.text;
            if (current) {
                screen.fill(row, 0, layout.listWidth(), theme.listCurrent);
            }
            String number = i < 99 ? String.format(Locale.ROOT, "%2d", i + 1) : "..";
            screen.put(row, 0, number, current ? theme.listCurrent : theme.listNumber);
            String count = c.unread() == 0 ? "" : (c.highlight() ? "!" : "") + (c.unread() > 999 ? "999+" : c.unread());
            int countCol = layout.listWidth() - DisplayWidth.of(count);
            screen.put(row, 3, c.id().label(), label, Math.max(3, countCol - 1));
            screen.put(row, countCol, count, label);
        }
    }

    /** NARROW mode: the conversations in one line, scrolled so that the current one shows. */
    private void drawBar(ChatState state, List<Conversation> conversations, ScreenBuffer screen) {
        screen.fill(0, 0, screen.width(), theme.bar);
        var items = new ArrayList<Span>();
        int currentIndex = 0;
        for (int i = 0; i < conversations.size(); i++) {
            Conversation c = conversations.get(i);
            boolean current = c == state.current();
            String text = (i + 1) + ":" + c.id().label()
                    + (c.unread() == 0 ? "" : "(" + c.unread() + (c.highlight() ? "!" : "") + ")");
            Style style = current ? theme.bar.with(Style.REVERSE) : c.highlight() ? theme.barWarn : theme.bar;
            items.add(new Span(text, style));
            if (current) {
                currentIndex = i;
            }
        }
        int start = 0;
        while (start < currentIndex && widthFrom(items, start, currentIndex) > screen.width() - 1) {
            start++;
        }
        int col = 1;
        for (int i = start; i < items.size() && col < screen.width(); i++) {
            col = screen.put(0, col, items.get(i).text(), items.get(i).style()) + 1;
        }
    }

    private static int widthFrom(List<Span> items, int from, int to) {
        int w = 0;
        for (int i = from; i <= to; i++) {
            w += items.get(i).width() + 1;
        }
        return w;
    }

    private void drawMessages(Conversation conversation, ScreenBuffer screen) {
        List<StyledLine> rows = pane.visible(conversation, layout.paneWidth(), layout.paneHeight());
        for (int r = 0; r < rows.size(); r++) {
            int col = layout.paneLeft();
            for (Span span : rows.get(r).spans()) {
                col = screen.put(layout.paneTop() + r, col, span.text(), span.style());
            }
        }
    }

    private void drawStatus(ChatState state, ScreenBuffer screen, Instant now) {
        int row = layout.statusRow();
        screen.fill(row, 0, screen.width(), theme.bar);
        var parts = new ArrayList<Span>();
        parts.add(new Span(CLOCK.format(now.atZone(zone)), theme.bar));
        parts.add(connection(state.connection(), now));
        Conversation c = state.current();
        if (!c.id().equals(ConversationId.STATUS)) {
            String members = c.id().isRoom() && !c.members().isEmpty() ? " (" + c.members().size() + ")" : "";
            parts.add(new Span(c.id().label() + members, theme.bar));
        }
        switch (c.verification()) {
            case NONE -> { }
            case UNVERIFIED -> parts.add(new Span("unverified", theme.barWarn));
            case VERIFIED -> parts.add(new Span("verified", theme.barGood));
            case CHANGED -> parts.add(new Span("KEY CHANGED", theme.barAlert));
        }
        if (state.pendingCount() > 0) {
            parts.add(new Span(state.pendingCount() + " pending", theme.barWarn));
        }
        if (!state.user().isEmpty()) {
            parts.add(new Span(state.user() + (state.server().isEmpty() ? "" : "@" + state.server()), theme.bar));
        }
        int col = 0;
        for (Span part : parts) {
            col = screen.put(row, col, " [", theme.bar);
            col = screen.put(row, col, part.text(), part.style());
            col = screen.put(row, col, "]", theme.bar);
        }
        if (c.scroll().isPresent()) {
            // right-aligned, over the least important parts if the line is full: the user must see it
            String more = "-- more --";
            int at = Math.max(0, screen.width() - DisplayWidth.of(more) - 1);
            screen.put(row, at, more, theme.barWarn);
        }
    }

    private Span connection(ConnectionState state, Instant now) {
        return switch (state) {
            case ConnectionState.Connected c -> new Span("connected", theme.barGood);
            case ConnectionState.Connecting c -> new Span(
                    "connecting" + (c.attempt() > 1 ? " (attempt " + c.attempt() + ")" : "") + "…", theme.barWarn);
            case ConnectionState.Offline o -> new Span("offline" + o.retryAt()
                    .map(at -> ", retry in " + secondsUntil(now, at) + "s").orElse(""), theme.barAlert);
        };
    }

    /** Whole seconds left, rounded up, so the countdown reaches 0 only when the time has come. */
    static long secondsUntil(Instant now, Instant at) {
        long millis = Duration.between(now, at).toMillis();
        return millis <= 0 ? 0 : (millis + 999) / 1000;
    }

    private Cursor drawInput(ChatState state, LineEditor editor, ScreenBuffer screen) {
        int row = layout.inputRow();
        String prompt = "[" + state.current().id().label() + "] ";
        int promptWidth = Math.min(DisplayWidth.of(prompt), screen.width() / 3);
        screen.put(row, 0, prompt, theme.prompt, promptWidth);
        var view = editor.view(screen.width() - promptWidth - 1);
        screen.put(row, promptWidth, view.text(), theme.text);
        return new Cursor(row, promptWidth + view.cursorColumn());
    }
}
