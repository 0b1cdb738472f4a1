package crumbhub.client.daemon;

import crumbhub.client.ClientException;
import crumbhub.client.format.Json;
import crumbhub.client.format.MessageText;
import crumbhub.client.message.Interaction;
import crumbhub.client.message.Names;
import crumbhub.client.message.Target;
import crumbhub.client.ops.Operation;

import crumbhub.wire.MessageId;

import java.util.Map;
import java.util.Set;

/**
 * One request of the daemon's JSON-lines interface (docs/bots.md), checked: a client
 * {@link Operation} or the daemon's own {@code ping}, decoded from a parsed JSON object by
 * {@link #decode}.
 */
public sealed interface Request {
    /** A client operation ({@code send}, {@code join} … {@code devices}). */
    record Run(Operation.Common operation) implements Request {
    }

    /** {@code ping}: the daemon's own, answered at once with the connection state. */
    record Ping() implements Request {
    }

    /** A request that could not be decoded: an error code for the reply and a sentence. */
    final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;
        final String code;

        Invalid(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    /** Error codes of requests refused before anything is sent. */
    String PARSE_ERROR = "parse_error";
    String INVALID = "invalid_request";
    String UNKNOWN_OP = "unknown_op";

    /** Which members each op takes besides {@code id} and {@code op} (others are refused, to catch typos). */
    Map<String, Set<String>> FIELDS = Map.ofEntries(
            Map.entry("send", Set.of("to", "text", "kind", "reply_to")),
            Map.entry("react", Set.of("message", "emoji", "remove")),
            Map.entry("edit", Set.of("message", "text")),
            Map.entry("delete", Set.of("message")),
            Map.entry("join", Set.of("room")),
            Map.entry("leave", Set.of("room")),
            Map.entry("invite", Set.of("room", "user")),
            Map.entry("kick", Set.of("room", "user")),
            Map.entry("rooms", Set.of()),
            Map.entry("members", Set.of("room")),
            Map.entry("verify", Set.of("user", "confirm")),
            Map.entry("devices", Set.of()),
            Map.entry("ping", Set.of()));

    /**
     * The request id as JSON, to echo in the reply: a string or a number as sent, or {@code null}
     * when the line had none (or was not an object).
     */
    static String idOf(Object parsed) {
        if (parsed instanceof Map<?, ?> m) {
            Object id = m.get("id");
            if (id instanceof String s) {
                return Json.quote(s);
            }
            if (id instanceof JsonReader.Number n) {
                return n.literal();
            }
        }
        return "null";
    }

    static Request decode(Object parsed) throws Invalid {
        if (!(parsed instanceof Map<?, ?> m)) {
            throw new Invalid(INVALID, "a request is a JSON object");
        }
        Object id = m.get("id");
        if (id != null && !(id instanceof String) && !(id instanceof JsonReader.Number) && id != JsonReader.NULL) {
            throw new Invalid(INVALID, "\"id\" must be a string or a number");
        }
        if (!(m.get("op") instanceof String op)) {
            throw new Invalid(INVALID, "\"op\" (a string) is missing");
        }
        Set<String> allowed = FIELDS.get(op);
        if (allowed == null) {
            throw new Invalid(UNKNOWN_OP, "unknown op \"" + printable(op) + "\"; ops: send, react, edit, delete, join,"
                    + " leave, invite, kick, rooms, members, verify, devices, ping");
        }
        for (Object k : m.keySet()) {
            if (!k.equals("id") && !k.equals("op") && !allowed.contains(k)) {
                throw new Invalid(INVALID, "op " + op + " takes no \"" + printable((String) k) + "\"");
            }
        }
        try {
            return switch (op) {
                case "send" -> m.containsKey("reply_to") ? new Run(reply(m)) : new Run(send(m));
                case "react" -> new Run(new Operation.Interact(java.util.Optional.empty(),
                        new Interaction.React(message(m, "message"), flag(m, "remove")), string(m, "emoji")));
                case "edit" -> new Run(new Operation.Interact(java.util.Optional.empty(),
                        new Interaction.Edit(message(m, "message")), string(m, "text")));
                case "delete" -> new Run(new Operation.Interact(java.util.Optional.empty(),
                        new Interaction.Delete(message(m, "message")), ""));
                case "join" -> new Run(new Operation.JoinRoom(room(m)));
                case "leave" -> new Run(new Operation.LeaveRoom(room(m)));
                case "invite" -> new Run(new Operation.Invite(room(m), user(m)));
                case "kick" -> new Run(new Operation.Kick(room(m), user(m)));
                case "rooms" -> new Run(new Operation.ListRooms());
                case "members" -> new Run(new Operation.ListMembers(room(m)));
                case "verify" -> new Run(new Operation.Verify(user(m), flag(m, "confirm")));
                case "devices" -> new Run(new Operation.ListDevices());
                case "ping" -> new Ping();
                default -> throw new IllegalStateException("op without a decoder: " + op);
            };
        } catch (ClientException e) {
            throw new Invalid(INVALID, e.getMessage());
        }
    }

    private static Operation.Send send(Map<?, ?> m) throws Invalid {
        Target to = Target.parse(string(m, "to"));
        String text = string(m, "text");
        if (text.isEmpty()) {
            throw new Invalid(INVALID, "\"text\" is empty");
        }
        MessageText.Kind kind = MessageText.Kind.TEXT;
        if (m.containsKey("kind")) {
            kind = switch (string(m, "kind")) {
                case "text" -> MessageText.Kind.TEXT;
                case "action" -> MessageText.Kind.ACTION;
                case "topic" -> {
                    if (!(to instanceof Target.Room)) {
                        throw new Invalid(INVALID, "a topic is set in a room");
                    }
                    yield MessageText.Kind.TOPIC;
                }
                default -> throw new Invalid(INVALID, "\"kind\" is text, action or topic");
            };
        }
        return new Operation.Send(to, new MessageText(kind, text));
    }

    /** {@code send} with {@code reply_to}: a reply (plain text only). */
    private static Operation.Interact reply(Map<?, ?> m) throws Invalid {
        if (m.containsKey("kind") && !"text".equals(m.get("kind"))) {
            throw new Invalid(INVALID, "a reply is text");
        }
        Operation.Send send = send(m);
        return new Operation.Interact(java.util.Optional.of(send.to()), new Interaction.Reply(message(m, "reply_to")),
                send.text().text());
    }

    /** A message id: 32 hex digits, as in the "id" of a message event. */
    private static MessageId message(Map<?, ?> m, String name) throws Invalid {
        String raw = string(m, name);
        if (!raw.matches("[0-9a-f]{32}")) {
            throw new Invalid(INVALID, "\"" + name + "\" is a message id: 32 hex digits");
        }
        return MessageId.parse(raw);
    }

    private static String room(Map<?, ?> m) throws Invalid {
        return Names.room(string(m, "room"));
    }

    private static String user(Map<?, ?> m) throws Invalid {
        return Names.user(string(m, "user"));
    }

    private static boolean flag(Map<?, ?> m, String name) throws Invalid {
        Object v = m.get(name);
        if (v == null || v instanceof Boolean) {
            return v == Boolean.TRUE;
        }
        throw new Invalid(INVALID, "\"" + name + "\" must be true or false");
    }

    private static String string(Map<?, ?> m, String name) throws Invalid {
        if (m.get(name) instanceof String s) {
            return s;
        }
        throw new Invalid(INVALID, "\"" + name + "\" (a string) is missing");
    }

    private static String printable(String s) {
        var b = new StringBuilder();
        s.codePoints().limit(40).forEach(cp -> b.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
        return b.toString();
    }
}
