package crumbhub.client.backup;

import crumbhub.client.ClientException;
import crumbhub.client.chat.Failure;
import crumbhub.client.chat.SessionEngine;
import crumbhub.wire.Frame;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.IntFunction;

/**
 * The history backup's requests over a long-running session's connection ({@link
 * SessionEngine#request}): the engine sends them on its session thread, and the calling thread
 * (the {@link BackupWorker}'s, never the UI's or the session's) waits for the reply. The engine
 * ends every request with a reply or a failure (offline, timeout), so the wait is bounded.
 */
public final class EngineLink implements HistoryBackup.Link {
    private static final Set<String> LOCAL = Set.of(Failure.OFFLINE, Failure.TIMEOUT, Failure.NETWORK, Failure.STOPPED);

    private final SessionEngine engine;

    public EngineLink(SessionEngine engine) {
        this.engine = engine;
    }

    @Override
    public <T extends Frame> T call(String what, IntFunction<Frame> request, Class<T> expected) {
        return await(what, send(what, request, expected));
    }

    /** All requests go to the engine before the first reply is waited for; replies in request order. */
    @Override
    public <T extends Frame> java.util.List<T> callAll(String what, java.util.List<IntFunction<Frame>> requests,
                                                      Class<T> expected) {
        var pending = new java.util.ArrayList<CompletableFuture<T>>(requests.size());
        for (IntFunction<Frame> request : requests) {
            pending.add(send(what, request, expected));
        }
        var replies = new java.util.ArrayList<T>(requests.size());
        for (CompletableFuture<T> reply : pending) {
            replies.add(await(what, reply));
        }
        return replies;
    }

    private <T extends Frame> CompletableFuture<T> send(String what, IntFunction<Frame> request, Class<T> expected) {
        var reply = new CompletableFuture<T>();
        engine.request(request, expected, (r, failure) -> {
            if (failure == null) {
                reply.complete(r);
            } else if (LOCAL.contains(failure.code())) {
                reply.completeExceptionally(ClientException.network(what + ": " + failure.message(), null));
            } else {
                reply.completeExceptionally(ClientException.refusedByServer(what + ": " + failure.message(),
                        failure.code()));
            }
        });
        return reply;
    }

    private static <T> T await(String what, CompletableFuture<T> reply) {
        try {
            return reply.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ClientException.network(what + ": interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof ClientException c ? c
                    : ClientException.network(what + ": " + e.getCause(), e.getCause());
        }
    }
}
