package crumbhub.client.message;

/** The reverse of {@link MessageSealer}: a delivered body back to text, if this device can read it. */
public interface MessageOpener {
    /** What opening gave: the text, or why it cannot be read (never the body itself). */
    sealed interface Result {
        record Opened(String text) implements Result {
            @Override
            public String toString() {
                return "Opened[<redacted>]";
            }
        }

        record Unreadable(String reason) implements Result {}
    }

    /**
     * @param target the conversation as addressed by the sender
     * @param from   the sending user
     */
    Result open(Target target, String from, SealedBody body);
}
