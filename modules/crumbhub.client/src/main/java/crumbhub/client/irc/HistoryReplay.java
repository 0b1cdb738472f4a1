package crumbhub.client.irc;

import crumbhub.client.chat.HistoryRecord;
import crumbhub.client.chat.HistoryStore;
import crumbhub.client.format.MessageText;
import crumbhub.client.message.Target;
import crumbhub.client.model.ConversationId;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Lines from the local history store for the IRC client (docs/irc.md "History"): the recent ones
 * after a JOIN, the room's topic, and IRCv3 {@code draft/chathistory} LATEST and BEFORE. Replayed
 * lines come in a {@code chathistory} batch with their {@code time} and {@code msgid} tags when the
 * client negotiated them; without server-time each text starts with its time in brackets, so old
 * lines are not mistaken for new ones. Session thread (reads the store, blocking).
 */
final class HistoryReplay {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    /** Records read per page while looking back for a CHATHISTORY BEFORE reference. */
    private static final int PAGE = 200;
    /** Records looked through at most for one CHATHISTORY BEFORE request. */
    private static final int MAX_SCAN = 20_000;

    private HistoryReplay() {
    }

    private static boolean shown(HistoryRecord r) {
        return (r.kind() == HistoryRecord.Kind.TEXT || r.kind() == HistoryRecord.Kind.ACTION) && !r.pending();
    }

    /** 332 and 333 for the room's newest topic in the history, or 331. */
    static List<IrcMessage> topicLines(Gateway g, IrcConnection c, String room) {
        String channel = "#" + IrcText.token(room);
        var topic = topic(g, room);
        if (topic == null) {
            return List.of(IrcMessage.of(Gateway.SERVER, "331", g.me(), channel, "No topic is set"));
        }
        return List.of(IrcMessage.of(Gateway.SERVER, "332", g.me(), channel, IrcText.oneLine(topic.text())),
                IrcMessage.of(Gateway.SERVER, "333", g.me(), channel, IrcText.token(topic.from()),
                        Long.toString(topic.time().getEpochSecond())));
    }

    static HistoryRecord topic(Gateway g, String room) {
        if (g.history() == null) {
            return null;
        }
        var page = g.history().store().page(ConversationId.room(room), Long.MAX_VALUE, 1,
                r -> r.kind() == HistoryRecord.Kind.TOPIC && !r.pending());
        return page.records().isEmpty() ? null : page.records().getLast();
    }

    /** The newest {@code count} lines of {@code conversation}, in a batch when negotiated. */
    static List<IrcMessage> recent(Gateway g, IrcConnection c, ConversationId conversation, int count) {
        if (g.history() == null || count == 0) {
            return List.of();
        }
        var page = g.history().store().page(conversation, Long.MAX_VALUE, count, HistoryReplay::shown);
        return batch(g, c, conversation, page.records(), false);
    }

    /**
     * {@code CHATHISTORY LATEST target * limit} and {@code CHATHISTORY BEFORE target
     * timestamp=…|msgid=… limit} (IRCv3 draft/chathistory); other subcommands and malformed
     * references get {@code FAIL CHATHISTORY …}.
     */
    static List<IrcMessage> chathistory(Gateway g, IrcConnection c, IrcMessage m) {
        String sub = m.param(0).toUpperCase(java.util.Locale.ROOT);
        String target = m.param(1);
        ConversationId conversation = conversationOf(g, target);
        if (conversation == null) {
            return List.of(fail("INVALID_TARGET", sub, target, "not a room or a user"));
        }
        int limit;
        try {
            limit = Math.min(IrcOptions.MAX_HISTORY, Integer.parseInt(m.param(3)));
        } catch (NumberFormatException e) {
            return List.of(fail("INVALID_PARAMS", sub, m.param(3), "the limit is a number"));
        }
        if (g.history() == null) {
            return batch(g, c, conversation, List.of(), true);
        }
        HistoryStore store = g.history().store();
        switch (sub) {
            case "LATEST" -> {
                return batch(g, c, conversation, store.page(conversation, Long.MAX_VALUE, limit, HistoryReplay::shown)
                        .records(), true);
            }
            case "BEFORE" -> {
                String ref = m.param(2);
                Instant before;
                String msgid = null;
                if (ref.startsWith("timestamp=")) {
                    try {
                        before = Instant.parse(ref.substring("timestamp=".length()));
                    } catch (DateTimeParseException e) {
                        return List.of(fail("INVALID_PARAMS", sub, ref, "not an ISO-8601 time"));
                    }
                } else if (ref.startsWith("msgid=")) {
                    msgid = ref.substring("msgid=".length());
                    before = null;
                } else {
                    return List.of(fail("INVALID_PARAMS", sub, ref, "timestamp= or msgid= is expected"));
                }
                return batch(g, c, conversation, before(store, conversation, before, msgid, limit), true);
            }
            default -> {
                return List.of(fail("INVALID_PARAMS", sub, sub, "this gateway answers LATEST and BEFORE"));
            }
        }
    }

    /** Up to {@code limit} shown lines older than {@code time}, or than the line with id {@code msgid}. */
    private static List<HistoryRecord> before(HistoryStore store, ConversationId conversation, Instant time,
                                              String msgid, int limit) {
        var older = new ArrayList<HistoryRecord>();
        long cursor = Long.MAX_VALUE;
        int scanned = 0;
        Instant bound = time;
        while (scanned < MAX_SCAN) {
            var page = store.page(conversation, cursor, PAGE, r -> true);
            var records = page.records();
            scanned += records.size();
            for (int i = records.size() - 1; i >= 0; i--) {
                HistoryRecord r = records.get(i);
                if (bound == null) {
                    if (r.id().equals(msgid)) {
                        bound = r.time();
                    }
                    continue;
                }
                if (r.time().isBefore(bound) && shown(r)) {
                    older.add(r);
                    if (older.size() == limit) {
                        return older.reversed();
                    }
                }
            }
            if (!page.hasOlder()) {
                break;
            }
            cursor = page.before();
        }
        return older.reversed();
    }

    private static ConversationId conversationOf(Gateway g, String target) {
        try {
            if (target.startsWith("#")) {
                return ConversationId.room(crumbhub.client.message.Names.room(target.substring(1)));
            }
            return ConversationId.direct(crumbhub.client.message.Names.user(target));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static IrcMessage fail(String code, String sub, String context, String text) {
        return IrcMessage.of(Gateway.SERVER, "FAIL", "CHATHISTORY", code, sub.isEmpty() ? "*" : sub,
                context.isEmpty() ? "*" : IrcText.token(context), text);
    }

    private static List<IrcMessage> batch(Gateway g, IrcConnection c, ConversationId conversation,
                                          List<HistoryRecord> records, boolean always) {
        if (records.isEmpty() && !always) {
            return List.of();
        }
        boolean batched = c.has("batch");
        String id = g.nextBatch();
        Target target = conversation.isRoom() ? new Target.Room(conversation.name()) : new Target.Direct(conversation.name());
        var lines = new ArrayList<IrcMessage>();
        if (batched) {
            lines.add(IrcMessage.of(Gateway.SERVER, "BATCH", "+" + id, "chathistory", IncomingLines.channelOf(target)));
        }
        boolean stamp = !c.has("server-time");
        for (HistoryRecord r : records) {
            var kind = r.kind() == HistoryRecord.Kind.ACTION ? MessageText.Kind.ACTION : MessageText.Kind.TEXT;
            String text = stamp ? "[" + STAMP.format(r.time()) + "] " + r.text() : r.text();
            String from = r.from().isEmpty() ? g.me() : r.from();
            lines.addAll(IncomingLines.message(g, from, target, new MessageText(kind, text), r.time(), r.id(),
                    batched ? Map.of("batch", id) : Map.of()));
        }
        if (batched) {
            lines.add(IrcMessage.of(Gateway.SERVER, "BATCH", "-" + id));
        }
        return lines;
    }
}
