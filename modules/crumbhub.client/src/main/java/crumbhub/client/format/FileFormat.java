package crumbhub.client.format;

import crumbhub.client.files.FileOffer;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * How a file that arrived prints (docs/client.md "Files"): a line for people naming the command
 * that downloads it, or a JSON object of {@code "type":"file"} for programs. The name is the
 * sender's, unchecked: the line passes it through the terminal filter, JSON escapes it, and only
 * {@code download} decides what it becomes on disk.
 */
public final class FileFormat {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm");

    private FileFormat() {}

    /** {@code [12:00] #ops <alice> sent a file: report.pdf (1.2 MB) -- crumbhub-client download ID}. */
    public static String plain(ReceivedMessage m, FileOffer f, ZoneId zone) {
        return "[" + CLOCK.format(m.time().atZone(zone)) + "] " + MessageFormat.terminalSafe(m.conversation().display())
                + " <" + MessageFormat.terminalSafe(m.from()) + "> sent a file: " + MessageFormat.terminalSafe(f.name())
                + " (" + size(f.size()) + ") -- crumbhub-client download " + f.blob();
    }

    /**
     * {@code type} "file", {@code room}, {@code from}, {@code file} (the id {@code download} takes),
     * {@code name}, {@code size} (bytes), {@code mime}, {@code sha256} (hex, of the content),
     * {@code id} (the message's), {@code ts}, {@code seq}, {@code device}, and {@code received}
     * when known, as for a message.
     */
    public static String json(ReceivedMessage m, FileOffer f) {
        var json = new Json()
                .put("type", "file")
                .put("room", m.conversation().display())
                .put("from", m.from())
                .put("file", f.blob().toString())
                .put("name", f.name())
                .put("size", f.size())
                .put("mime", f.mime())
                .put("sha256", HexFormat.of().formatHex(f.sha256()))
                .put("id", m.messageIdHex())
                .put("ts", MessageFormat.isoUtc(m.time()))
                .put("seq", m.seq())
                .put("device", m.fromDevice());
        if (m.received() != null) {
            json.put("received", MessageFormat.isoUtc(m.received()));
        }
        return json.toString();
    }

    /**
     * A message's text as the chat shows it: a file offer as {@code sent a file: NAME (SIZE) --
     * crumbhub-client download ID} (the chat has no /download yet), any other text unchanged.
     */
    public static String chatText(String text) {
        return FileOffer.decode(text).map(f -> "sent a file: " + MessageFormat.terminalSafe(f.name()) + " ("
                + size(f.size()) + ") -- crumbhub-client download " + f.blob()).orElse(text);
    }

    /**
     * The raw text of a message that is a file offer (a plain text whose encoding would mask its
     * marker), for the daemon's {@code "event":"file"} lines; empty for any other message.
     */
    public static java.util.Optional<String> offer(MessageText text) {
        return text.kind() == MessageText.Kind.TEXT && FileOffer.decode(text.text()).isPresent()
                ? java.util.Optional.of(text.text()) : java.util.Optional.empty();
    }

    /** A size for people: {@code 512 B}, {@code 1.2 KB}, {@code 8.4 MB}, {@code 1.1 GB} (powers of 1000). */
    public static String size(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB", "PB"};
        double v = bytes;
        int i = -1;
        while (v >= 1000 && i < units.length - 1) {
            v /= 1000;
            i++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[i]);
    }
}
