package crumbhub.server.core;

import crumbhub.server.config.Rate;
import crumbhub.wire.AccountFrame;
import crumbhub.wire.RoomLogFrame;
import crumbhub.wire.AuthFrame;
import crumbhub.wire.BackupFrame;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.DeviceFrame;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.FileFrame;
import crumbhub.wire.Frame;
import crumbhub.wire.KeyFrame;
import crumbhub.wire.KemKeyFrame;
import crumbhub.wire.MembershipFrame;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.RoomFrame;
import crumbhub.wire.log.Log;
import java.util.HashMap;
import java.util.Map;

/**
 * The one place a request finds its handler (core thread): a session in AUTH goes to
 * {@link AuthRequests}; a READY one, once admitted by its user's request rate, to the handler of
 * the frame's protocol area. The switch over the sealed {@link Frame} is exhaustive, so a new frame
 * type does not compile until it is routed here: adding a request is one record and one handler
 * method. A switch, not a map: no allocation and no lookup beyond the type test per request.
 */
final class RequestRouter {
    private static final Log LOG = Log.get("crumbhub.server.core");

    private final AuthRequests auth;
    private final MessageRequests messages;
    private final RoomRequests rooms;
    private final DeviceRequests devices;
    private final AccountRequests accounts;
    private final BackupRequests backups;
    private final FileRequests files;
    /** File chunks seen; one in {@link #FILE_CHUNKS_PER_REQUEST} counts against the user's request rate. */
    private int fileChunks;
    private final Delivery delivery;
    private final CoreExecutor core;
    private final Rate userRequests;
    /** Per-user request rates; idle ones are dropped by maintenance ({@link #pruneRates}). */
    private final Map<String, RequestLimiter> userRates = new HashMap<>();

    RequestRouter(AuthRequests auth, MessageRequests messages, RoomRequests rooms, DeviceRequests devices,
                  AccountRequests accounts, BackupRequests backups, Delivery delivery, CoreExecutor core,
                  Rate userRequests, FileRequests files) {
        this.files = files;
        this.accounts = accounts;
        this.backups = backups;
        this.auth = auth;
        this.messages = messages;
        this.rooms = rooms;
        this.devices = devices;
        this.delivery = delivery;
        this.core = core;
        this.userRequests = userRequests;
    }

    void route(Session s, Frame f) {
        switch (s.phase()) {
            case CLOSING -> { }
            case AUTH -> auth.handle(s, f);
            case READY -> {
                if (admitted(s, f)) {
                    ready(s, f);
                }
            }
        }
    }

    private void ready(Session s, Frame f) {
        int id = f.requestId();
        switch (f) {
            case MessageFrame.Send x -> messages.send(s, x);
            case MessageFrame.Sync x -> messages.sync(s, x);
            case MessageFrame.Ack x -> messages.ack(s, x);
            case RoomFrame.RoomCreate x -> rooms.create(s, x);
            case RoomFrame.RoomInvite x -> rooms.invite(s, x);
            case RoomFrame.RoomJoin x -> rooms.join(s, x);
            case RoomFrame.RoomLeave x -> rooms.leave(s, x);
            case RoomFrame.RoomKick x -> rooms.kick(s, x);
            case RoomFrame.RoomList x -> rooms.list(s, x);
            case RoomFrame.RoomMembers x -> rooms.members(s, x);
            case RoomLogFrame.RoomStatement x -> rooms.statement(s, x);
            case RoomLogFrame.RoomLog x -> rooms.log(s, x);
            case DeviceFrame.Devices x -> devices.list(s, x);
            case DeviceFrame.DeviceRevoke x -> devices.revoke(s, x);
            case AuthFrame.Logout x -> devices.logout(s, x);
            case KeyFrame.KeysPublish x -> devices.publishUnverified(s, x);
            case KeyFrame.DeviceKeys x -> devices.identities(s, x);
            case KeyFrame.KeyBundles x -> devices.bundles(s, x);
            case KemKeyFrame.KemPreKeysPublish x -> devices.publishKemUnverified(s, x);
            case KemKeyFrame.KeyBundlesPq x -> devices.bundlesPq(s, x);
            case MessageFrame.SendDevices x -> devices.sendDevices(s, x);
            case AccountFrame.AccountPublish x -> accounts.publish(s, x);
            case AccountFrame.AccountKeys x -> accounts.keys(s, x);
            case BackupFrame.BackupAppend x -> backups.append(s, x);
            case BackupFrame.BackupList x -> backups.list(s, x);
            case BackupFrame.BackupFetch x -> backups.fetch(s, x);
            case BackupFrame.BackupDelete x -> backups.delete(s, x);
            case FileFrame x -> files.handle(s, x);
            case crumbhub.wire.RetractFrame.Retract x -> messages.retract(s, x);
            case AuthFrame.Register x -> Replies.wrongState(s, id);
            case AuthFrame.Login x -> Replies.wrongState(s, id);
            case AuthFrame.Resume x -> Replies.wrongState(s, id);
            case ControlFrame.Ping x -> s.peer().send(new ControlFrame.Pong(id, x.nonce()));
            case ControlFrame.Pong x -> { }
            case Frame.Unknown x -> s.peer().send(Errors.of(id, ErrorCode.UNSUPPORTED, "unsupported frame type"));
            case ControlFrame.Ok _, ControlFrame.Error _, AuthFrame.AuthOk _, DeviceFrame.DeviceList _, RoomFrame.RoomListReply _,
                 RoomFrame.MemberList _, MessageFrame.SendOk _, MessageFrame.SyncDone _, MessageFrame.Deliver _, KeyFrame.KeysStatus _,
                 KeyFrame.DeviceKeysReply _, KeyFrame.KeyBundlesReply _, AccountFrame.AccountKeysReply _,
                 RoomLogFrame.RoomLogReply _, KemKeyFrame.KemPreKeysStatus _, KemKeyFrame.KeyBundlesPqReply _,
                 BackupFrame.BackupListReply _, BackupFrame.BackupBatches _, MembershipFrame.MembershipChanged _ ->
                    s.peer().send(Errors.of(id, ErrorCode.UNSUPPORTED, f.typeName() + " is not a request"));
        }
    }

    /** The per-user request rate over all of a user's connections; refuses (or closes) if exceeded. */
    private boolean admitted(Session s, Frame f) {
        if (isFileChunk(f) && ++fileChunks % FILE_CHUNKS_PER_REQUEST != 0) {
            return true;
        }
        long now = core.nanoTime();
        var limiter = userRates.computeIfAbsent(s.device().userName(), u -> new RequestLimiter(userRequests));
        switch (limiter.check(now)) {
            case ADMIT -> {
                return true;
            }
            case REFUSE -> s.peer().send(Errors.of(f.requestId(), ErrorCode.THROTTLED,
                    "too many requests from your account; slow down"));
            case CLOSE -> {
                s.peer().send(Errors.of(f.requestId(), ErrorCode.THROTTLED,
                        "too many requests from your account; closing this connection"));
                s.close();
                delivery.detach(s);
                s.peer().close();
                LOG.warn("session_closed", "user", s.device().userName(), "reason", "request_flood");
            }
        }
        return false;
    }

    /**
     * File chunks (FILE_APPEND, FILE_READ) per request the rates count: a chunk is 60 KB, so a
     * request rate meant for chat would cap a transfer at a few MB/s; the file thread's
     * back-pressure and the quotas bound what chunks cost (docs/server.md "Files").
     */
    static final int FILE_CHUNKS_PER_REQUEST = 16;

    /** A FILE_APPEND or FILE_READ. */
    static boolean isFileChunk(Frame f) {
        return f instanceof FileFrame.FileAppend || f instanceof FileFrame.FileRead;
    }

    /** Drops the rates of users idle at {@code now}. */
    void pruneRates(long now) {
        userRates.values().removeIf(l -> l.idle(now));
    }
}
