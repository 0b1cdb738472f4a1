package crumbhub.client.tui.view;

import crumbhub.client.tui.text.Style;
import java.util.Locale;

/**
 * The styles of every part of the screen, with colours or, under {@code NO_COLOR}, with
 * attributes only (bars in reverse video, emphasis in bold). Colours are the 16 basic ones, which
 * every terminal has and every user's theme adjusts.
 */
public final class Theme {
    /** Nick colours: every basic colour that reads on both dark and light backgrounds, red kept for errors. */
    private static final int[] NICK_COLOURS = {2, 3, 4, 5, 6, 10, 11, 12, 13, 14};

    private final boolean colours;
    final Style text = Style.DEFAULT;
    final Style time;
    final Style separator;
    final Style bar;
    final Style barAlert;
    final Style barGood;
    final Style barWarn;
    final Style listCurrent;
    final Style listNumber;
    final Style listUnread;
    final Style listHighlight;
    final Style divider;
    final Style notice;
    final Style error;
    final Style mention;
    final Style pending;
    final Style prompt;

    public Theme(boolean colours) {
        this.colours = colours;
        time = Style.DEFAULT.with(Style.DIM);
        separator = Style.DEFAULT.with(Style.DIM);
        bar = colours ? new Style(15, 4, 0) : Style.DEFAULT.with(Style.REVERSE);
        barAlert = colours ? new Style(15, 1, Style.BOLD) : Style.DEFAULT.with(Style.REVERSE).with(Style.BOLD).with(Style.UNDERLINE);
        barGood = colours ? new Style(10, 4, Style.BOLD) : Style.DEFAULT.with(Style.REVERSE);
        barWarn = colours ? new Style(11, 4, Style.BOLD) : Style.DEFAULT.with(Style.REVERSE).with(Style.BOLD);
        listCurrent = Style.DEFAULT.with(Style.REVERSE);
        listNumber = Style.DEFAULT.with(Style.DIM);
        listUnread = Style.DEFAULT.with(Style.BOLD);
        listHighlight = colours ? new Style(13, -1, Style.BOLD) : Style.DEFAULT.with(Style.BOLD).with(Style.UNDERLINE);
        divider = Style.DEFAULT.with(Style.DIM);
        notice = colours ? Style.fg(6) : Style.DEFAULT;
        error = colours ? new Style(9, -1, Style.BOLD) : Style.DEFAULT.with(Style.BOLD);
        mention = colours ? new Style(0, 11, Style.BOLD) : Style.DEFAULT.with(Style.REVERSE).with(Style.BOLD);
        pending = Style.DEFAULT.with(Style.DIM);
        prompt = Style.DEFAULT.with(Style.BOLD);
    }

    public boolean colours() {
        return colours;
    }

    /** A nick's colour: the same nick always gets the same one (FNV-1a of the folded name). */
    Style nick(String name, boolean own) {
        int hash = 0x811C9DC5;
        for (char c : name.toLowerCase(Locale.ROOT).toCharArray()) {
            hash = (hash ^ c) * 0x01000193;
        }
        Style base = colours ? Style.fg(NICK_COLOURS[Integer.remainderUnsigned(hash, NICK_COLOURS.length)]) : Style.DEFAULT;
        return own ? base.with(Style.BOLD) : base;
    }
}
