package crumbhub.client.chat;

import crumbhub.client.home.Home;
import crumbhub.client.home.ReceiveState;
import crumbhub.client.home.SessionRecord;
import crumbhub.client.e2e.E2eClient;
import crumbhub.crypto.X25519KeyPair;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

/**
 * A registered user's home, opened the way {@code chat} and {@code daemon} open it, making
 * session engines with quick reconnects for tests.
 */
final class Account implements AutoCloseable {
    static final SessionEngine.Options FAST = new SessionEngine.Options(Duration.ofSeconds(10), Duration.ofSeconds(10),
            8, Duration.ofMillis(100), Duration.ofMillis(400));

    final Home home;
    final SessionRecord record;
    final X25519KeyPair deviceKey;
    final SecureRandom rng = new SecureRandom();

    Account(Path dir) {
        home = Home.open(dir, prompt -> null, rng, 1000);
        record = home.session();
        deviceKey = home.deviceKey();
    }

    String user() {
        return record.user();
    }

    SessionEngine engine(SessionEngine.Listener listener) {
        var e2e = E2eClient.create(home, record.user(), record.deviceId(), rng, Clock.systemUTC(), listener::warning);
        var state = new ReceiveState[] {home.receiveState(record)};
        SessionEngine.Cursor cursor = new SessionEngine.Cursor() {
            @Override
            public long lastSeq() {
                return state[0].lastSeq();
            }

            @Override
            public boolean firstSight(String from, crumbhub.wire.MessageId id) {
                return state[0].recent().add(from, id);
            }

            @Override
            public void advance(long seq) {
                state[0] = state[0].withLastSeq(seq);
                home.saveReceiveState(state[0]);
            }
        };
        return new SessionEngine(StoredSession.connector(record, deviceKey, home.knownServers()), e2e, cursor,
                record.user(), listener, FAST, Clock.systemUTC(), rng);
    }

    HistoryStore history() {
        byte[] key = home.historyKey();
        return HistoryStore.open(home.historyDir(), key, record.server().key() + " " + record.user(), rng,
                HistoryStore.DEFAULT_LIMIT);
    }

    /** A chat session with its history, attached to a recording view. */
    ChatSession chat(RecordingView view) {
        var chat = new ChatSession(record.server().key(), record.user(), history(), Clock.systemUTC(), rng, this::engine);
        chat.attach(view);
        return chat;
    }

    @Override
    public void close() {
        deviceKey.close();
        home.close();
    }
}
