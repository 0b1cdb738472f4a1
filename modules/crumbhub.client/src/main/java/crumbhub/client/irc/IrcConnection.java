package crumbhub.client.irc;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One IRC client's connection: reads its lines, runs registration (modern.ircdocs.horse
 * "Connection registration", IRCv3 "Capability negotiation"), then hands every command to the
 * {@link Gateway}. Owns the socket; {@link #send} may be called from any thread.
 *
 * <pre>
 *   accepted ──PASS, NICK, USER, CAP──► REGISTERING ──NICK and USER given, no CAP pending,
 *                                            │            password right──► REGISTERED ──┐
 *                                            │ wrong password, flood, timeout            │ QUIT, EOF, flood,
 *                                            ▼                                            ▼ ping timeout, write stuck
 *                                          CLOSED ◄───────────────────────────────────────┘
 * </pre>
 *
 * <p>Threads: the connection's own (virtual) thread reads and dispatches; it blocks in reads and,
 * for gateway work, only until that work is queued on the session thread. Writes are whole lines,
 * serialized on this object; the session thread writes received messages itself so that it knows
 * they reached the socket before it acknowledges them. A write stuck longer than
 * {@link #WRITE_TIMEOUT} (a client that stopped reading) is ended by the server's watchdog closing
 * the socket.
 */
final class IrcConnection {
    /** The longest line read: 8,191 bytes of tags plus a 512-byte message (IRCv3 "Message tags", size limits). */
    static final int MAX_INPUT = 8191 + 512;
    /** Lines a client may send at once before the bucket runs dry: pasting is fine, a runaway script is not. */
    static final int FLOOD_BURST = 100;
    /** Lines a second the bucket refills with. */
    static final int FLOOD_RATE = 10;
    /** Silence after which the gateway sends a PING; the same again without a reply closes the link. */
    static final Duration PING_AFTER = Duration.ofSeconds(120);
    /** How long registration may take. */
    static final Duration REGISTRATION_TIMEOUT = Duration.ofSeconds(60);
    /** How long one write may block before the connection is closed (a client that stopped reading). */
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

    /** The capabilities offered (IRCv3); "draft/chathistory" only with {@code CHATHISTORY} in ISUPPORT. */
    static final List<String> CAPABILITIES = List.of("server-time", "message-tags", "echo-message", "batch",
            "draft/chathistory");

    private final Socket socket;
    private final Gateway gateway;
    private final IrcOptions options;
    private final OutputStream out;
    /** Nanos since a write started; 0 when not writing. */
    private volatile long writingSince;
    private volatile Set<String> caps = Set.of();
    private volatile boolean registered;
    private volatile boolean closed;

    // connection thread only
    private String nick = "";
    private boolean userGiven;
    private boolean capPending;
    private byte[] password;
    private double tokens = FLOOD_BURST;
    private long lastRefill = System.nanoTime();
    private boolean pinged;

    IrcConnection(Socket socket, Gateway gateway, IrcOptions options) throws IOException {
        this.socket = socket;
        this.gateway = gateway;
        this.options = options;
        this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    }

    /** The connection thread: reads and handles lines until the connection ends. Never throws. */
    void run() {
        try {
            socket.setSoTimeout((int) REGISTRATION_TIMEOUT.toMillis());
            var in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            while (!closed) {
                String line;
                try {
                    line = readLine(in);
                } catch (SocketTimeoutException e) {
                    if (!registered) {
                        close("Registration timeout");
                    } else if (pinged) {
                        close("Ping timeout: " + PING_AFTER.toSeconds() + " seconds");
                    } else {
                        pinged = true;
                        send(IrcMessage.of("", "PING", gateway.serverName()));
                    }
                    continue;
                }
                if (line == null) {
                    break;
                }
                pinged = false;
                if (!flood()) {
                    close("Excess Flood");
                    break;
                }
                handle(line);
            }
        } catch (IOException e) {
            closed = true; // the peer went away; nothing to tell it
        } catch (RuntimeException e) {
            // one bad line or a gateway failure ends this connection only, with a line that says why
            close("Internal error (" + e.getClass().getSimpleName() + ")");
        } finally {
            closeSocket();
            gateway.detach(this);
        }
    }

    /**
     * One line without CR LF, or null at the end of input. A line longer than {@link #MAX_INPUT}
     * is answered with 417 and skipped. Bytes that are not UTF-8 are decoded as U+FFFD.
     */
    private String readLine(InputStream in) throws IOException {
        var buf = new ByteArrayOutputStream(128);
        boolean tooLong = false;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            if (b == '\n') {
                if (tooLong) {
                    numeric("417", "Input line was too long");
                    buf.reset();
                    tooLong = false;
                    continue;
                }
                String line = buf.toString(StandardCharsets.UTF_8);
                return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            }
            if (buf.size() >= MAX_INPUT) {
                tooLong = true;
            } else {
                buf.write(b);
            }
        }
    }

    /** Takes one line from the bucket; false when it is empty. */
    private boolean flood() {
        long now = System.nanoTime();
        tokens = Math.min(FLOOD_BURST, tokens + (now - lastRefill) / 1e9 * FLOOD_RATE);
        lastRefill = now;
        if (tokens < 1) {
            return false;
        }
        tokens--;
        return true;
    }

    private void handle(String line) {
        if (line.isBlank()) {
            return;
        }
        IrcMessage m = IrcMessage.parse(line);
        if (m.command().isEmpty()) {
            return;
        }
        switch (m.command()) {
            case "CAP" -> cap(m);
            case "PING" -> {
                if (m.params().isEmpty()) {
                    numeric("409", "No origin specified");
                } else {
                    send(IrcMessage.of(gateway.serverName(), "PONG", gateway.serverName(), m.param(0)));
                }
            }
            case "PONG" -> { }
            case "QUIT" -> close("Quit: " + IrcText.oneLine(m.param(0)));
            default -> {
                if (registered) {
                    gateway.command(this, m);
                } else {
                    register(m);
                }
            }
        }
    }

    private void register(IrcMessage m) {
        switch (m.command()) {
            case "PASS" -> {
                if (m.params().isEmpty()) {
                    numeric("461", "PASS", "Not enough parameters");
                } else {
                    password = m.param(0).getBytes(StandardCharsets.UTF_8);
                }
            }
            case "NICK" -> {
                if (m.params().isEmpty() || m.param(0).isEmpty()) {
                    numeric("431", "No nickname given");
                } else {
                    nick = IrcText.token(m.param(0));
                    tryRegister();
                }
            }
            case "USER" -> {
                if (m.params().size() < 4) {
                    numeric("461", "USER", "Not enough parameters");
                } else {
                    userGiven = true;
                    tryRegister();
                }
            }
            default -> numeric("451", "You have not registered");
        }
    }

    private void cap(IrcMessage m) {
        String sub = m.param(0).toUpperCase(java.util.Locale.ROOT);
        switch (sub) {
            case "LS" -> {
                if (!registered) {
                    capPending = true;
                }
                send(IrcMessage.of(gateway.serverName(), "CAP", target(), "LS", String.join(" ", CAPABILITIES)));
            }
            case "LIST" -> send(IrcMessage.of(gateway.serverName(), "CAP", target(), "LIST", String.join(" ", caps)));
            case "REQ" -> {
                if (!registered) {
                    capPending = true;
                }
                var wanted = new LinkedHashSet<>(caps);
                boolean ok = true;
                for (String cap : m.param(1).trim().split(" +")) {
                    if (cap.isEmpty()) {
                        continue;
                    }
                    boolean remove = cap.startsWith("-");
                    String name = remove ? cap.substring(1) : cap;
                    if (!CAPABILITIES.contains(name)) {
                        ok = false;
                    } else if (remove) {
                        wanted.remove(name);
                    } else {
                        wanted.add(name);
                    }
                }
                if (ok) {
                    caps = Set.copyOf(wanted);
                }
                send(IrcMessage.of(gateway.serverName(), "CAP", target(), ok ? "ACK" : "NAK", m.param(1)));
            }
            case "END" -> {
                if (!registered && capPending) {
                    capPending = false;
                    tryRegister();
                }
            }
            default -> numeric("410", m.param(0), "Invalid CAP command");
        }
    }

    private void tryRegister() {
        if (registered || capPending || nick.isEmpty() || !userGiven) {
            return;
        }
        if (!options.passwordAccepts(password)) {
            numeric("464", "Password incorrect");
            close("Bad password");
            return;
        }
        if (password != null) {
            java.util.Arrays.fill(password, (byte) 0);
        }
        String given = nick;
        nick = gateway.me();
        registered = true;
        try {
            socket.setSoTimeout((int) PING_AFTER.toMillis());
        } catch (java.net.SocketException e) {
            close("Socket error");
            return;
        }
        gateway.attach(this, given);
    }

    /** The nick replies go to: the user's once registered, "*" before a NICK. */
    String target() {
        return registered ? gateway.me() : nick.isEmpty() ? "*" : nick;
    }

    boolean registered() {
        return registered;
    }

    boolean has(String cap) {
        return caps.contains(cap);
    }

    boolean isClosed() {
        return closed;
    }

    /** A numeric reply to this client: {@code :server NNN nick params…}; CR, LF and NUL in a parameter become spaces. */
    boolean numeric(String code, String... params) {
        var all = new String[params.length + 1];
        all[0] = target();
        for (int i = 0; i < params.length; i++) {
            all[i + 1] = IrcText.oneLine(params[i]); // parameters may echo what the client sent
        }
        return send(IrcMessage.of(gateway.serverName(), code, all));
    }

    /**
     * Writes one message whole and flushes; tags the client did not negotiate are dropped (time:
     * server-time; batch: batch; msgid and the rest: message-tags). False if the connection is
     * closed or the write failed (then it is closed). Any thread; blocks while the socket is full.
     */
    boolean send(IrcMessage m) {
        return sendAll(List.of(m));
    }

    /** Writes {@code messages} in order with one flush; as {@link #send}. */
    synchronized boolean sendAll(List<IrcMessage> messages) {
        if (closed) {
            return false;
        }
        try {
            writingSince = System.nanoTime() | 1;
            for (IrcMessage m : messages) {
                out.write((filterTags(m) + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
            return true;
        } catch (IOException e) {
            closed = true;
            closeSocket();
            return false;
        } finally {
            writingSince = 0;
        }
    }

    private String filterTags(IrcMessage m) {
        if (m.tags().isEmpty()) {
            return m.toString();
        }
        var kept = new java.util.LinkedHashMap<String, String>();
        for (var e : m.tags().entrySet()) {
            String cap = switch (e.getKey()) {
                case "time" -> "server-time";
                case "batch" -> "batch";
                default -> "message-tags";
            };
            if (caps.contains(cap)) {
                kept.put(e.getKey(), e.getValue());
            }
        }
        return new IrcMessage(kept, m.source(), m.command(), m.params()).toString();
    }

    /** True if a write has blocked longer than {@link #WRITE_TIMEOUT} (the watchdog then closes the socket). */
    boolean writeStuck(long now) {
        long since = writingSince;
        return since != 0 && now - since > WRITE_TIMEOUT.toNanos();
    }

    /** Ends the link with {@code ERROR :Closing Link: reason} (modern.ircdocs.horse "ERROR"). Any thread. */
    void close(String reason) {
        if (closed) {
            return;
        }
        send(IrcMessage.of("", "ERROR", "Closing Link: " + IrcText.oneLine(reason)));
        closed = true;
        closeSocket();
    }

    /** Closes the socket without a word (the watchdog, the server's shutdown). */
    void closeSocket() {
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            // the socket is closed either way; nothing else to release
            closed = true;
        }
    }

    /** Checks a password against the expected one in constant time (both hashed first, so lengths do not leak). */
    static boolean samePassword(byte[] given, byte[] expected) {
        try {
            var sha = MessageDigest.getInstance(crumbhub.crypto.Algorithms.SHA256);
            byte[] a = sha.digest(given);
            byte[] b = sha.digest(expected);
            return MessageDigest.isEqual(a, b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
