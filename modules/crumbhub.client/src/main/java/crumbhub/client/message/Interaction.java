package crumbhub.client.message;

import crumbhub.wire.MessageId;

import java.util.Objects;

/**
 * What a message does to an earlier message of its conversation, named by that message's id
 * (docs/client.md "Replies, reactions, edits and deletes"). It travels inside the end-to-end
 * envelope with the text, so the server sees a message of the usual padded size and nothing of
 * which message it refers to. The text that goes with it means: a reply's text, a reaction's
 * emoji, an edit's new text; a delete has none.
 *
 * <p>Only the author of a message edits or deletes it: receivers check that the sender of an
 * {@link Edit} or {@link Delete} is the sender of {@link #to()} and drop it otherwise.
 */
public sealed interface Interaction {
    /** The message this one refers to. */
    MessageId to();

    /** The type name used in {@code listen --json} and the daemon ({@code message} for a reply). */
    String label();

    /** A message that answers {@code to}. */
    record Reply(MessageId to) implements Interaction {
        public Reply {
            Objects.requireNonNull(to, "to");
        }

        @Override
        public String label() {
            return "message";
        }
    }

    /** A reaction (the text is its emoji) added to {@code to}, or taken back when {@code remove}. */
    record React(MessageId to, boolean remove) implements Interaction {
        public React {
            Objects.requireNonNull(to, "to");
        }

        @Override
        public String label() {
            return "reaction";
        }
    }

    /** A new version of the author's own message {@code to} (the text is the new text). */
    record Edit(MessageId to) implements Interaction {
        public Edit {
            Objects.requireNonNull(to, "to");
        }

        @Override
        public String label() {
            return "edit";
        }
    }

    /** The author's own message {@code to} deleted everywhere (no text). */
    record Delete(MessageId to) implements Interaction {
        public Delete {
            Objects.requireNonNull(to, "to");
        }

        @Override
        public String label() {
            return "delete";
        }
    }

    /** The most bytes of UTF-8 a reaction's emoji may take (a flag sequence with modifiers fits). */
    int MAX_EMOJI_BYTES = 64;

    /**
     * Checks the text that goes with {@code interaction}; null when it is fine, else why not (a
     * sentence). A reaction is one short line without control characters; a delete has no text.
     */
    static String problem(Interaction interaction, String text) {
        return switch (interaction) {
            case React r -> {
                int bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                if (text.isBlank() || bytes > MAX_EMOJI_BYTES) {
                    yield "a reaction is one emoji (at most " + MAX_EMOJI_BYTES + " bytes)";
                }
                yield text.codePoints().anyMatch(cp -> Character.getType(cp) == Character.CONTROL || cp == ' ')
                        ? "a reaction has no spaces or control characters" : null;
            }
            case Delete d -> text.isEmpty() ? null : "a delete has no text";
            case Edit e -> text.isEmpty() ? "an edit needs the new text" : null;
            case Reply r -> text.isEmpty() ? "a reply needs text" : null;
        };
    }
}
