package crumbhub.client.chat;

import crumbhub.client.model.ChatMessage;
import crumbhub.client.model.ChatView;
import crumbhub.client.model.ConnectionState;
import crumbhub.client.model.UiEvent;
import crumbhub.testkit.Await;

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
    }

    synchronized List<UiEvent> events() {
        return List.copyOf(events);
    }

    /** Waits for an event matching {@code what}; fails the test after {@code timeout}. */
    <T extends UiEvent> T await(Class<T> type, Predicate<T> what, Duration timeout) {
        return awaitFrom(0, type, what, timeout);
    }

    /** As {@link #await}, among the events posted after the first {@code from} ({@link #count()}). */
    <T extends UiEvent> T awaitFrom(int from, Class<T> type, Predicate<T> what, Duration timeout) {
        return Await.succeeds(() -> {
            List<UiEvent> now = events();
            for (UiEvent e : now.subList(Math.min(from, now.size()), now.size())) {
                if (type.isInstance(e) && what.test(type.cast(e))) {
                    return type.cast(e);
                }
            }
            throw new AssertionError("no matching " + type.getSimpleName() + " yet; got " + now);
        }, timeout, "a matching " + type.getSimpleName());
    }

    /** How many events were posted so far. */
    synchronized int count() {
        return events.size();
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
