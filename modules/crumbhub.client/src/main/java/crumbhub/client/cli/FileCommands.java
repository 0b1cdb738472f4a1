package crumbhub.client.cli;

import crumbhub.client.ClientException;
import crumbhub.client.chat.HistoryStore;
import crumbhub.client.files.FileOffer;
import crumbhub.client.files.Transfers;
import crumbhub.client.files.UploadState;
import crumbhub.client.message.SealedMessage;
import crumbhub.client.message.Target;
import crumbhub.client.model.ConversationId;
import crumbhub.crypto.file.FileStream;
import crumbhub.wire.FileId;
import crumbhub.wire.Frame;
import crumbhub.wire.MessageFrame;
import crumbhub.wire.MessageId;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * {@code send-file TARGET PATH} and {@code download ID [--to DIR]} (docs/client.md "Files"). Both
 * stream: memory does not grow with the file. Progress goes to stderr, only on a terminal.
 */
final class FileCommands {
    private FileCommands() {}

    /**
     * Seals and uploads the file, then sends the end-to-end message that names it; exits 0 once the
     * server stored the whole blob durably and the message. Running the same command again after a
     * failure continues the upload (the sealed state in the home, {@link UploadState}).
     */
    static int sendFile(Context ctx) {
        Target target = Target.parse(ctx.command.positional(0));
        Path path = Path.of(ctx.command.positional(1)).toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw ClientException.usage("send-file: " + path + " is not a readable file");
        }
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = file.size();
            byte[] sha = crumbhub.client.files.Digests.of(file, size);
            String name = path.getFileName().toString();
            String mime = Optional.ofNullable(probe(path)).orElse("application/octet-stream");
            String record = UploadState.recordName(path.toString(), target.display(), sha);
            var home = ctx.home();
            Optional<UploadState> saved = home.readRecord(record).flatMap(UploadState::decode)
                    .filter(s -> s.matches(size, sha));
            var e2e = ctx.e2e();
            try (var s = Sessions.resume(ctx, e2e::onPush)) {
                e2e.attach(s.session());
                UploadState state = saved.filter(st -> Transfers.query(s.session(), st.blob()) != null).orElse(null);
                if (state == null) {
                    byte[] key = FileStream.newKey(ctx.rng);
                    var stream = FileStream.create(key, ctx.rng);
                    FileId blob = Transfers.begin(s.session(), FileStream.sealedLength(size));
                    state = new UploadState(blob, key, stream.header(), size, sha, MessageId.random(ctx.rng));
                    home.writeRecord(record, state.encode());
                } else {
                    ctx.notice("resuming the upload of " + name);
                }
                FileStream stream = FileStream.of(state.key(), state.header());
                long total = FileStream.sealedLength(size);
                var bar = ProgressLine.of(ctx, "upload " + name);
                Transfers.upload(s.session(), state.blob(), from -> Transfers.source(file, size, stream, from), total, bar);
                bar.done();
                if (crumbhub.client.files.Digests.changed(file, size, sha)) {
                    home.deleteRecord(record);
                    throw ClientException.store("send-file: " + path + " changed while it was sent; send it again");
                }
                var offer = new FileOffer(state.blob(), state.key(), sha, size, mime, name);
                announce(ctx, e2e, s.session(), target, offer, state.message());
                home.deleteRecord(record);
                return 0;
            }
        } catch (crumbhub.crypto.CryptoException e) {
            throw ClientException.refused("send-file: " + e.getMessage());
        } catch (IOException e) {
            throw ClientException.store("send-file: cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static String probe(Path path) {
        try {
            return Files.probeContentType(path);
        } catch (IOException e) {
            return null;
        }
    }

    /** Sends the offer as an end-to-end message with its fixed id (a repeat is de-duplicated) and records it. */
    private static void announce(Context ctx, crumbhub.client.e2e.E2eClient e2e, crumbhub.client.net.ClientSession session,
                                 Target target, FileOffer offer, MessageId id) {
        e2e.maintain();
        var created = ctx.io.clock().instant();
        String text = offer.encode();
        SealedMessage out = e2e.seal(target, text, id);
        MessageFrame.SendOk stored = null;
        for (IntFunction<Frame> request : out.requests()) {
            stored = session.call("send-file to " + target.display(), request, MessageFrame.SendOk.class);
        }
        out.sent();
        try {
            ctx.recorder().sent(target, id, text, created, stored == null ? 0 : stored.seq(),
                    stored == null ? created : java.time.Instant.ofEpochMilli(stored.tsMs()));
        } catch (ClientException e) {
            if (e.kind() != ClientException.Kind.LOCAL_STORE) {
                throw e;
            }
            ctx.notice("sent, but not recorded in the history: " + e.getMessage());
        }
    }

    /**
     * Finds the file's message in this device's history, downloads and checks the blob into a
     * temporary file in the target directory, and renames it to its safe name; prints the path.
     * Any failed check deletes the temporary file and exits non-zero.
     */
    static int download(Context ctx) {
        FileId id;
        try {
            id = FileId.parse(ctx.command.positional(0));
        } catch (IllegalArgumentException e) {
            throw ClientException.usage("download: ID is the 32 hex digits of a file, as listen shows it");
        }
        Path dir = Path.of(ctx.command.value("to").orElse(".")).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw ClientException.usage("download: " + dir + " is not a directory");
        }
        FileOffer offer = find(ctx.history(), id).orElseThrow(() -> ClientException.refused("download: no file " + id
                + " in the messages of this device; files arrive with listen or chat"));
        var e2e = ctx.e2e();
        try (var s = Sessions.resume(ctx, e2e::onPush)) {
            var bar = ProgressLine.of(ctx, "download " + offer.name());
            Path placed = crumbhub.client.files.Downloads.fetch(s.session(), offer, dir, bar);
            bar.done();
            ctx.println(placed.toString());
            return 0;
        } catch (crumbhub.crypto.CryptoException e) {
            throw ClientException.refused("download: refused " + id + ": " + e.getMessage()
                    + "; nothing was written");
        } catch (IOException e) {
            throw ClientException.store("download: " + e.getMessage(), e);
        }
    }

    /** The newest message in any conversation of the history whose offer names {@code id}. */
    static Optional<FileOffer> find(HistoryStore history, FileId id) {
        for (ConversationId c : history.conversations()) {
            var page = history.page(c, Long.MAX_VALUE, 1, r -> r.isMessage()
                    && FileOffer.decode(r.text()).filter(o -> o.blob().equals(id)).isPresent());
            if (!page.records().isEmpty()) {
                return FileOffer.decode(page.records().getLast().text());
            }
        }
        return Optional.empty();
    }
}
