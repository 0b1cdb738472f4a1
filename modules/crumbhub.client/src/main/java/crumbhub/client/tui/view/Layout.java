package crumbhub.client.tui.view;

import crumbhub.client.tui.chat.Conversation;
import crumbhub.client.tui.text.DisplayWidth;
import java.util.List;

/**
 * Where each part of the screen goes for a terminal size.
 * <pre>
 * WIDE (≥ 60 columns)                      NARROW
 * ┌ title: conversation and topic ──────┐  ┌ 1:status 2:#general(3) 3:@bob(1!) ┐
 * │ 1 status  │ messages                │  │ messages                          │
 * │ 2 #general│                         │  │                                   │
 * │ 3 @bob  1!│                         │  │                                   │
 * ├ status line ────────────────────────┤  ├ status line ──────────────────────┤
 * └ [#general] input                    ┘  └ [#general] input                  ┘
 * </pre>
 * Below {@link #MIN_COLUMNS} × {@link #MIN_ROWS} only a "too small" notice is drawn.
 *
 * @param listWidth columns of the conversation list in WIDE mode (a divider follows), else 0
 */
public record Layout(Mode mode, int width, int height, int listWidth, int paneTop, int paneLeft, int paneWidth,
                     int paneHeight, int statusRow, int inputRow) {
    public enum Mode { WIDE, NARROW, TOO_SMALL }

    public static final int MIN_COLUMNS = 16;
    public static final int MIN_ROWS = 4;
    /** At this width the conversation list moves from a top bar to a left column. */
    public static final int WIDE_COLUMNS = 60;
    private static final int MIN_LIST = 14;
    private static final int MAX_LIST = 24;

    public static Layout of(int width, int height, List<Conversation> conversations) {
        if (width < MIN_COLUMNS || height < MIN_ROWS) {
            return new Layout(Mode.TOO_SMALL, width, height, 0, 0, 0, 0, 0, -1, -1);
        }
        int paneHeight = height - 3;
        if (width < WIDE_COLUMNS) {
            return new Layout(Mode.NARROW, width, height, 0, 1, 0, width, paneHeight, height - 2, height - 1);
        }
        int longest = 0;
        for (Conversation c : conversations) {
            longest = Math.max(longest, DisplayWidth.of(c.id().label()));
        }
        // number (2), space, label, space, unread marker and count (up to 4)
        int list = Math.clamp(longest + 8, MIN_LIST, Math.min(MAX_LIST, width / 4));
        int paneLeft = list + 1;
        return new Layout(Mode.WIDE, width, height, list, 1, paneLeft, width - paneLeft, paneHeight, height - 2, height - 1);
    }
}
