package crumbhub.bench;

import crumbhub.wire.loop.EventLoop;
import crumbhub.wire.loop.IoHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One bench user on an IRC server (RFC 1459/2812 client side, as much as a load generator
 * needs): NICK/USER registration, JOIN, PRIVMSG, PING answered. Plain non-blocking NIO on the
 * same {@link EventLoop} the CrumbHub connections use, so both targets are driven and measured
 * by the same code.
 *
 * <pre>
 *  CONNECTING --connected, NICK+USER sent--> REGISTERING --001--> READY --EOF/ERROR/close--> CLOSED
 *       \______________________ connect failure, 432/433, ERROR __________________________/
 * </pre>
 *
 * <p>Lines are split in a per-loop read buffer by an {@link IrcLineReader}, so thousands of idle
 * clients hold almost no memory. Outbound lines are gathered
 * during a tick and written at its end. All state belongs to the loop thread; {@link #join},
 * {@link #registered} and {@link #close} may be used from any thread.
 */
final class IrcClient implements LoadClient, IoHandler {
    /** Outbound bytes queued above which sends are refused (the server is not reading). */
    static final int OUT_LIMIT = 256 * 1024;

    /** Buffers shared by every IRC client of one loop; loop thread only. */
    static final class Shared {
        final ByteBuffer read = ByteBuffer.allocate(64 * 1024);
        final byte[] text = new byte[BenchOptions.IRC_MAX_SIZE];
    }

    private final int index;
    private final String nick;
    private final EventLoop loop;
    private final LoopStats stats;
    private final Shared shared;
    private final byte[][] privmsgPrefix;
    private final CompletableFuture<IrcClient> registered = new CompletableFuture<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final Map<String, CompletableFuture<Void>> joins = new HashMap<>();
    private final SocketChannel channel;
    private SelectionKey key;
    private final IrcLineReader lines = new IrcLineReader();
    private final IrcLineReader.Sink sink = this::onLine;
    private ProbeListener listener = ProbeListener.COUNT;
    private long readNanos;
    private final OutBuffer out = new OutBuffer(OUT_LIMIT);
    private boolean flushScheduled;
    private boolean sender;
    private boolean pingOutstanding;
    private long pingSentNanos;
    private volatile boolean open;
    private volatile boolean closing;

    private IrcClient(int index, String nick, EventLoop loop, LoopStats stats, Shared shared, byte[][] privmsgPrefix,
            SocketChannel channel) {
        this.index = index;
        this.nick = nick;
        this.loop = loop;
        this.stats = stats;
        this.shared = shared;
        this.privmsgPrefix = privmsgPrefix;
        this.channel = channel;
    }

    /**
     * Starts connecting from {@code source} (null: any local address) and registering as
     * {@code nick}; the future completes on the welcome (001) or fails with {@link IOException}.
     *
     * @param privmsgPrefix per room, the bytes {@code "PRIVMSG #channel :"}
     */
    static CompletableFuture<IrcClient> connect(int index, String nick, InetSocketAddress server,
            InetSocketAddress source, EventLoop loop, LoopStats stats, Shared shared, byte[][] privmsgPrefix) {
        SocketChannel ch;
        try {
            ch = SocketChannel.open();
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        var c = new IrcClient(index, nick, loop, stats, shared, privmsgPrefix, ch);
        loop.execute(() -> c.start(server, source));
        return c.registered;
    }

    private void start(InetSocketAddress server, InetSocketAddress source) {
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (source != null) {
                channel.bind(source);
            }
            key = loop.register(channel, 0, this);
            if (channel.connect(server)) {
                onConnected();
            } else {
                key.interestOps(SelectionKey.OP_CONNECT);
            }
        } catch (IOException | RuntimeException e) {
            closeNow("cannot connect to " + server + ": " + e.getMessage());
        }
    }

    private void onConnected() {
        open = true;
        key.interestOps(SelectionKey.OP_READ);
        writeLine("NICK " + nick);
        writeLine("USER " + nick + " 0 * :crumbhub-bench");
    }

    /** Completes on the server's welcome. */
    CompletableFuture<IrcClient> registered() {
        return registered;
    }

    /** Completes with the reason when the connection closes. */
    CompletableFuture<String> closed() {
        return closed;
    }

    /** Joins {@code channel} (with its {@code #}); completes at the end of its NAMES list. Any thread. */
    CompletableFuture<Void> join(String channelName) {
        var f = new CompletableFuture<Void>();
        loop.execute(() -> {
            if (!open) {
                f.completeExceptionally(new IOException(nick + " is not connected"));
                return;
            }
            joins.put(channelName.toLowerCase(java.util.Locale.ROOT), f);
            writeLine("JOIN " + channelName);
        });
        return f;
    }

    // ---- LoadClient ------------------------------------------------------------------------------

    @Override
    public int index() {
        return index;
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public LoopStats stats() {
        return stats;
    }

    @Override
    public boolean send(int room, Probe probe, int size) {
        byte[] prefix = privmsgPrefix[room];
        ByteBuffer b = open ? out.reserve(prefix.length + size + 2) : null;
        if (b == null) {
            stats.refused();
            return false;
        }
        sender = true;
        probe.toText(shared.text, 0, size);
        b.put(prefix).put(shared.text, 0, size).put((byte) '\r').put((byte) '\n');
        scheduleFlush();
        stats.sent();
        return true;
    }

    @Override
    public boolean ping() {
        if (pingOutstanding || !open) {
            return false;
        }
        pingSentNanos = System.nanoTime();
        if (!writeLine("PING :crumbhub-bench")) {
            return false;
        }
        pingOutstanding = true;
        return true;
    }

    @Override
    public void flush() {
        // IRC has nothing to acknowledge
    }

    @Override
    public void onProbe(ProbeListener l) {
        listener = l;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        closing = true;
        if (loop.inLoop()) {
            closeNow("closed by the bench");
        } else {
            loop.execute(() -> closeNow("closed by the bench"));
        }
    }

    // ---- output ------------------------------------------------------------------------------------

    private boolean writeLine(String line) {
        byte[] bytes = (line + "\r\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = out.reserve(bytes.length);
        if (b == null) {
            return false;
        }
        b.put(bytes);
        scheduleFlush();
        return true;
    }

    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            loop.runAtEndOfTick(this::flushOut);
        }
    }

    private void flushOut() {
        flushScheduled = false;
        if (!open) {
            return;
        }
        boolean empty;
        try {
            empty = out.writeTo(channel);
        } catch (IOException e) {
            closeNow("write failed: " + e.getMessage());
            return;
        }
        if (empty && !sender) {
            out.trim(); // idle connections keep no buffer
        }
        if (key.isValid()) {
            key.interestOps(empty ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
    }

    // ---- input -------------------------------------------------------------------------------------

    @Override
    public void onSelected(int readyOps) {
        if ((readyOps & SelectionKey.OP_CONNECT) != 0) {
            try {
                if (!channel.finishConnect()) {
                    return;
                }
            } catch (IOException e) {
                closeNow("cannot connect: " + e.getMessage());
                return;
            }
            onConnected();
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0) {
            flushOut();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0 && open) {
            read();
        }
    }

    private void read() {
        ByteBuffer buf = shared.read;
        lines.prepare(buf);
        int n;
        try {
            n = channel.read(buf);
        } catch (IOException e) {
            closeNow("read failed: " + e.getMessage());
            return;
        }
        if (n < 0) {
            closeNow("the server closed the connection");
            return;
        }
        readNanos = System.nanoTime();
        long droppedBefore = lines.dropped();
        lines.consume(buf, sink);
        if (lines.dropped() != droppedBefore) {
            stats.error();
        }
    }

    /** One line without its CR LF, {@code a[from..to)}; false once the connection closed. */
    private boolean onLine(byte[] a, int from, int to) {
        long now = readNanos;
        int p = from;
        if (p < to && a[p] == ':') {
            while (p < to && a[p] != ' ') {
                p++;
            }
            while (p < to && a[p] == ' ') {
                p++;
            }
        }
        int cmdStart = p;
        while (p < to && a[p] != ' ') {
            p++;
        }
        int cmdEnd = p;
        if (IrcLineReader.is(a, cmdStart, cmdEnd, "PRIVMSG")) {
            int text = IrcLineReader.indexOf(a, p, to, " :");
            Probe probe = stats.probe;
            if (text >= 0 && probe.fromText(a, text + 2, to - text - 2)) {
                listener.onProbe(this, probe, now);
            } else {
                stats.stale();
            }
            return true;
        }
        String line = new String(a, from, to - from, StandardCharsets.UTF_8);
        String command = new String(a, cmdStart, cmdEnd - cmdStart, StandardCharsets.US_ASCII);
        onCommand(command, line, line.substring(Math.min(line.length(), cmdEnd - from)).trim(), now);
        return open;
    }

    private void onCommand(String command, String line, String params, long now) {
        switch (command) {
            case "PING" -> writeLine("PONG " + params);
            case "PONG" -> {
                if (pingOutstanding) {
                    pingOutstanding = false;
                    stats.pong(now - pingSentNanos);
                }
            }
            case "001" -> registered.complete(this);
            case "366" -> {
                // RPL_ENDOFNAMES: "<nick> <channel> :End of NAMES list"
                String[] f = params.split(" ");
                if (f.length >= 2) {
                    var j = joins.remove(f[1].toLowerCase(java.util.Locale.ROOT));
                    if (j != null) {
                        j.complete(null);
                    }
                }
            }
            case "ERROR" -> closeNow("the server said: " + line);
            case "432", "433", "436", "437", "465" -> {
                if (!registered.isDone()) {
                    closeNow("the server refused nick " + nick + ": " + line);
                } else {
                    stats.error();
                }
            }
            case "403", "404", "405", "471", "473", "474", "475", "477", "489" -> {
                String[] f = params.split(" ");
                var j = f.length >= 2 ? joins.remove(f[1].toLowerCase(java.util.Locale.ROOT)) : null;
                if (j != null) {
                    j.completeExceptionally(new IOException(nick + " cannot join " + f[1] + ": " + line));
                } else {
                    stats.error();
                }
            }
            default -> {
                // notices, MOTD, names and modes need no answer
            }
        }
    }

    // ---- closing -----------------------------------------------------------------------------------

    private void closeNow(String reason) {
        if (closed.isDone()) {
            return;
        }
        if (open && !closing) {
            stats.error();
        }
        open = false;
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException e) {
            reason = reason + " (and closing failed: " + e.getMessage() + ")";
        }
        out.clear();
        lines.release();
        var failure = new IOException(nick + ": " + reason);
        registered.completeExceptionally(failure);
        for (var j : joins.values()) {
            j.completeExceptionally(failure);
        }
        joins.clear();
        closed.complete(reason);
    }

    @Override
    public void onLoopShutdown() {
        closing = true;
        closeNow("the bench is shutting down");
    }
}
