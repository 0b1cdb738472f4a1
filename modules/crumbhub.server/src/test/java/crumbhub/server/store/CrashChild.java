package crumbhub.server.store;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The process {@link CrashTest} kills. Recovers the store, checks it is a gap-free run of ids,
 * prints {@code ready <next id>}, then appends ids as fast as the store takes them (with a
 * snapshot every 300 records), printing {@code ack <id> .} for each acknowledged one. Exits by
 * itself after 60 s in case its parent is gone.
 *
 * <p>Arguments: store directory, random seed.
 */
public final class CrashChild {

    static final StoreOptions OPTIONS = StoreOptions.defaults().withSegmentBytes(16 * 1024);
    private static final int SNAPSHOT_EVERY = 300;

    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        var dir = Path.of(args[0]);
        var random = new Random(Long.parseLong(args[1]));
        var out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.US_ASCII);
        var recovered = new Ids();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (var store = EventStore.open(dir, OPTIONS, recovered)) {
            out.println("ready " + recovered.next);
            var inFlight = new Semaphore(256);
            long id = recovered.next;
            while (System.nanoTime() < deadline) {
                inFlight.acquire();
                long current = id++;
                store.append(record(current, random.nextInt(1500)), failure -> {
                    inFlight.release();
                    out.println(failure == null ? "ack " + current + " ." : "fail " + current + " " + failure.kind());
                });
                if ((current + 1) % SNAPSHOT_EVERY == 0) {
                    store.snapshot(ByteBuffer.allocate(8).putLong(current + 1).array(), failure -> {
                        if (failure != null) {
                            out.println("snapshot-failed " + failure.kind());
                        }
                    });
                }
            }
        }
    }

    static byte[] record(long id, int padding) {
        return ByteBuffer.allocate(8 + padding).putLong(id).array();
    }

    /** Recovered state: the next id, checking that ids run without gaps or repeats. */
    static final class Ids implements EventStore.Recovery {
        long next;

        @Override
        public void snapshot(byte[] state) {
            next = ByteBuffer.wrap(state).getLong();
        }

        @Override
        public void record(byte[] record) {
            long id = ByteBuffer.wrap(record).getLong();
            if (id != next) {
                throw new IllegalStateException("expected record " + next + " but found " + id);
            }
            next++;
        }
    }
}
