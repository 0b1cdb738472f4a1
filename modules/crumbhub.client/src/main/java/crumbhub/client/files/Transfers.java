package crumbhub.client.files;

import crumbhub.client.ClientException;
import crumbhub.client.net.ClientSession;
import crumbhub.crypto.CryptoException;
import crumbhub.crypto.file.FileStream;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.FileFrame;
import crumbhub.wire.FileId;
import crumbhub.wire.Frame;
import crumbhub.wire.Limits;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * Moves a sealed file to and from the server's blob store (docs/protocol.md §10) over one
 * {@link ClientSession}, keeping {@link #WINDOW} chunks in flight so a transfer is not one round
 * trip per chunk. A lost connection is resumed (reconnect, ask how much is stored, go on from
 * there), as is a {@code throttled} answer (wait, then the same); {@link #ATTEMPTS} failures in a
 * row without progress give up. Runs on the command's thread and blocks.
 */
public final class Transfers {
    /**
     * Chunks in flight: 720 KB. More hides more of the per-chunk hand-offs (16 was about 40 %
     * faster than 8 on a loaded machine), but the chunks in flight must stay below a connection's
     * 1 MiB outbound limit (ConnectionOptions.DEFAULT_HARD_LIMIT) on both sides, with room for
     * other frames, and below the server's 16 per connection.
     */
    static final int WINDOW = 12;
    /** Failures in a row, without a byte of progress between them, before a transfer gives up. */
    static final int ATTEMPTS = 8;
    private static final Duration REPLY = Duration.ofSeconds(60);

    /** Told the bytes moved so far and the total; called on the transfer's thread. */
    @FunctionalInterface
    public interface Progress {
        void at(long done, long total);
    }

    private Transfers() {}

    /** A request that failed in a way a retry can cure: the connection was lost, or the server was busy. */
    private static final class Retry extends Exception {
        private static final long serialVersionUID = 1L;

        Retry(String message) {
            super(message);
        }
    }

    /** Starts an upload of {@code length} sealed bytes; returns the new blob's id. */
    public static FileId begin(ClientSession session, long length) {
        return session.call("send-file", id -> new FileFrame.FileBegin(id, length), FileFrame.FileStatus.class).file();
    }

    /** The server's state of an upload of ours, or null if it does not know it (expired, or another server). */
    public static FileFrame.FileStatus query(ClientSession session, FileId blob) {
        try {
            return session.call("send-file", id -> new FileFrame.FileQuery(id, blob), FileFrame.FileStatus.class);
        } catch (ClientException e) {
            if (e.serverCode().filter(ErrorCode.NOT_FOUND.code()::equals).isPresent()) {
                return null;
            }
            throw e;
        }
    }

    /**
     * Sends the sealed bytes of {@code source} from what the server holds of {@code blob} on, then
     * finishes the upload (durable on the server when this returns).
     */
    public static void upload(ClientSession session, FileId blob, java.util.function.LongFunction<SealedSourceHandle> open,
                              long total, Progress progress) throws IOException {
        int failures = 0;
        long lastStored = -1;
        while (true) {
            FileFrame.FileStatus status;
            try {
                status = query(session, blob);
            } catch (ClientException e) {
                if (e.kind() != ClientException.Kind.NETWORK) {
                    throw e;
                }
                failures = recover(session, e, failures);
                continue;
            }
            if (status == null) {
                throw ClientException.refused("send-file: the server no longer has this upload; run send-file again");
            }
            if (status.length() != total) {
                throw ClientException.refused("send-file: the server's upload has another length");
            }
            if (status.finished()) {
                return;
            }
            long pos = status.stored();
            if (pos > lastStored) {
                failures = 0; // the last attempt made progress: only failures in a row give up
                lastStored = pos;
            }
            try {
                if (pos < total) {
                    pos = sendFrom(session, blob, open.apply(pos), pos, total, progress);
                }
                session.call("send-file", id -> new FileFrame.FileFinish(id, blob), FileFrame.FileStatus.class);
                progress.at(total, total);
                return;
            } catch (Retry | ClientException e) {
                if (e instanceof ClientException c && c.kind() != ClientException.Kind.NETWORK
                        && c.serverCode().filter(ErrorCode.WRONG_STATE.code()::equals).isEmpty()) {
                    throw c;
                }
                failures = recover(session, e, failures);
            }
        }
    }

    /** Opens the sealed source at a position; a function so that each attempt starts afresh. */
    public interface SealedSourceHandle {
        int read(byte[] out) throws IOException;
    }

    /** A handle over a {@link SealedSource} of {@code file}. */
    public static SealedSourceHandle source(FileChannel file, long size, FileStream stream, long from) {
        try {
            var s = new SealedSource(file, size, stream, from);
            return s::read;
        } catch (IOException e) {
            throw ClientException.store("send-file: cannot read the file: " + e.getMessage(), e);
        }
    }

    private static long sendFrom(ClientSession session, FileId blob, SealedSourceHandle source, long pos, long total,
                                 Progress progress) throws IOException, Retry {
        var inFlight = new ArrayDeque<CompletableFuture<Frame>>();
        long acked = pos;
        var sizes = new ArrayDeque<Integer>();
        while (acked < total) {
            while (inFlight.size() < WINDOW && pos < total) {
                byte[] data = new byte[(int) Math.min(Limits.FILE_CHUNK, total - pos)];
                int n = source.read(data);
                if (n != data.length) {
                    throw new IOException("the sealed file ended early");
                }
                long offset = pos;
                inFlight.add(async(session, id -> new FileFrame.FileAppend(id, blob, offset, data)));
                sizes.add(n);
                pos += n;
            }
            Frame reply = await(inFlight.poll());
            if (reply instanceof ControlFrame.Error e) {
                throw failure("send-file", e);
            }
            if (!(reply instanceof ControlFrame.Ok)) {
                throw ClientException.refused("send-file: the server sent " + reply.typeName() + " instead of OK");
            }
            acked += sizes.poll();
            progress.at(acked, total);
        }
        return acked;
    }

    /**
     * Reads blob {@code blob} ({@code sealedLength} bytes, as the end-to-end message implies) into
     * {@code sink}, which opens and checks it. A server that sends other lengths or offsets, or
     * bytes that fail their check, is refused with {@link CryptoException}.
     */
    static void download(ClientSession session, FileId blob, long sealedLength, SealedSink sink, Progress progress)
            throws CryptoException, IOException {
        long[] pos = {0}; // what the sink has taken: a retry goes on from there, not from where the attempt began
        int failures = 0;
        while (pos[0] < sealedLength) {
            long before = pos[0];
            try {
                readFrom(session, blob, pos, sealedLength, sink, progress);
            } catch (Retry | ClientException e) {
                if (e instanceof ClientException c && c.kind() != ClientException.Kind.NETWORK) {
                    throw c;
                }
                failures = recover(session, e, pos[0] > before ? 0 : failures);
            }
        }
    }

    /** Reads from {@code pos[0]} to the end, moving {@code pos[0]} past every piece the sink took. */
    private static void readFrom(ClientSession session, FileId blob, long[] pos, long total, SealedSink sink,
                                 Progress progress) throws CryptoException, IOException, Retry {
        var inFlight = new ArrayDeque<CompletableFuture<Frame>>();
        var offsets = new ArrayDeque<long[]>();
        long next = pos[0];
        while (pos[0] < total) {
            while (inFlight.size() < WINDOW && next < total) {
                long offset = next;
                int n = (int) Math.min(Limits.FILE_CHUNK, total - next);
                inFlight.add(async(session, id -> new FileFrame.FileRead(id, blob, offset, n)));
                offsets.add(new long[] {offset, n});
                next += n;
            }
            Frame reply = await(inFlight.poll());
            long[] asked = offsets.poll();
            if (reply instanceof ControlFrame.Error e) {
                if (ErrorCode.NOT_FOUND.code().equals(e.code())) {
                    throw ClientException.refused("download: the server has no file " + blob + " (it may have expired)");
                }
                throw failure("download", e);
            }
            if (!(reply instanceof FileFrame.FileData d) || d.offset() != asked[0] || d.data().length != asked[1]
                    || d.length() != total || !d.file().equals(blob)) {
                throw new CryptoException("the server's copy of the file does not have the length its sender stated");
            }
            sink.accept(d.data());
            pos[0] += d.data().length;
            progress.at(pos[0], total);
        }
    }

    private static CompletableFuture<Frame> async(ClientSession session, IntFunction<Frame> request) {
        return session.callAsync(request);
    }

    private static Frame await(CompletableFuture<Frame> f) throws Retry {
        try {
            return f.get(REPLY.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new Retry("no reply from the server: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Retry("interrupted");
        }
    }

    /** The Retry a busy or out-of-step answer is; any other ERROR is a refusal (thrown). */
    private static Retry failure(String what, ControlFrame.Error e) {
        String code = e.code();
        if (ErrorCode.THROTTLED.code().equals(code) || ErrorCode.WRONG_STATE.code().equals(code)) {
            return new Retry(printable(e.message()));
        }
        throw ClientException.refusedByServer(what + " refused by the server: " + printable(e.message())
                + " (" + printable(code) + ")", code);
    }

    /** Waits (longer after each failure), reconnects if the connection is gone; returns the new failure count. */
    private static int recover(ClientSession session, Exception cause, int failures) {
        if (failures + 1 >= ATTEMPTS) {
            throw ClientException.network("the transfer failed " + ATTEMPTS + " times in a row: " + cause.getMessage(),
                    cause);
        }
        try {
            Thread.sleep(Math.min(5_000, 100L << failures));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ClientException.network("interrupted", e);
        }
        if (!session.isConnected()) {
            try {
                session.reconnect();
            } catch (ClientException e) {
                if (e.kind() != ClientException.Kind.NETWORK) {
                    throw e;
                }
            }
        }
        return failures + 1;
    }

    /** Server text shown to the user: one line, control characters replaced. */
    private static String printable(String text) {
        return text.codePoints().map(cp -> Character.isISOControl(cp) ? '?' : cp)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
