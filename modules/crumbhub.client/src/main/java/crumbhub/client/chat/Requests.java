package crumbhub.client.chat;

import crumbhub.client.ops.Operation;
import crumbhub.wire.ErrorCode;

/**
 * Runs the one-request {@link Operation.Call}s for the chat and the daemon over
 * {@link SessionEngine#request}. Callbacks run on the session thread with a result or a
 * {@link Failure}.
 */
public final class Requests {
    /** What {@link #joinOrCreate} did. */
    public enum Joined { JOINED, CREATED }

    private final SessionEngine engine;

    public Requests(SessionEngine engine) {
        this.engine = engine;
    }

    /** Sends {@code call}'s request; {@code done} gets its result, or null and the failure. */
    public <R> void call(Operation.Call<R> call, SessionEngine.Callback<R> done) {
        if (call instanceof Operation.Membership m) {
            // signed by the account identity (docs/crypto.md "Room membership"); the reply is a plain OK
            @SuppressWarnings("unchecked")
            var ok = (SessionEngine.Callback<crumbhub.wire.ControlFrame.Ok>) (SessionEngine.Callback<?>) done;
            engine.changeRoom(m, ok);
            return;
        }
        engine.request(call::request, call.replyType(),
                (reply, failure) -> done.done(reply == null ? null : call.result(reply), failure));
    }

    /** This account's devices with their states ({@link SessionEngine#devices}); {@code done} runs on the session thread. */
    public void devices(SessionEngine.Callback<crumbhub.client.e2e.AccountDevices> done) {
        engine.devices(done);
    }

    /**
     * The verified membership changes of {@code room} not shown yet (docs/client.md "Membership
     * events"); {@code done} runs on the session thread, with none when offline or on a failure.
     */
    public void roomEvents(String room, java.util.function.Consumer<java.util.List<crumbhub.client.e2e.E2eClient.RoomEvent>> done) {
        engine.execute(() -> done.accept(engine.roomEvents(room)));
    }

    /**
     * Joins {@code join}'s room; if no such room exists, creates it (the user becomes its owner), the
     * way IRC's {@code /join} makes a channel. A room that exists without an invitation stays
     * refused ({@code forbidden}).
     */
    public void joinOrCreate(Operation.JoinRoom join, SessionEngine.Callback<Joined> done) {
        call(join, (ok, failure) -> {
            if (failure == null) {
                done.done(Joined.JOINED, null);
            } else if (failure.code().equals(ErrorCode.NOT_FOUND.code())) {
                call(new Operation.CreateRoom(join.room()), (created, f2) -> done.done(f2 == null ? Joined.CREATED : null, f2));
            } else {
                done.done(null, failure);
            }
        });
    }
}
