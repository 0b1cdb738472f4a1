package crumbhub.client.chat;

import crumbhub.client.model.ChatMessage;
import crumbhub.client.model.ChatView;
import crumbhub.client.model.ConnectionState;
import crumbhub.client.model.UiEvent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A {@link ChatView} that records what the session posts, for tests to wait on with a deadline. */
final class RecordingView implements ChatView {
    private final List<UiEvent> events = new ArrayList<>();

    @Override
    public synchronized void post(UiEvent event) {
        events.add(event);
        notifyAll();
    }

    synchronized List<UiEvent> events() {
        return List.copyOf(events);
    }

    /** Waits for an event matching {@code what}; fails the test after {@code timeout}. */
    synchronized <T extends UiEvent> T await(Class<T> type, Predicate<T> what, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int seen = 0;; ) {
            for (; seen < events.size(); seen++) {
                UiEvent e = events.get(seen);
                if (type.isInstance(e) && what.test(type.cast(e))) {
                    return type.cast(e);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching " + type.getSimpleName() + " within " + timeout + "; got " + events);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    <T extends UiEvent> T await(Class<T> type, Predicate<T> what) throws InterruptedException {
        return await(type, what, Duration.ofSeconds(10));
    }

    /** Waits for a message line with {@code text} from {@code from}. */
    ChatMessage awaitMessage(String from, String text) throws InterruptedException {
        return await(UiEvent.MessageReceived.class,
                e -> e.message().from().equals(from) && e.message().text().equals(text)).message();
    }

    void awaitConnected() throws InterruptedException {
        await(UiEvent.ConnectionChanged.class, e -> e.state() instanceof ConnectionState.Connected);
    }

    synchronized void clear() {
        events.clear();
    }
}
