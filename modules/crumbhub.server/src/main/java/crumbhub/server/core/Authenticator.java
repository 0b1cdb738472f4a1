package crumbhub.server.core;

import crumbhub.crypto.CryptoException;
import crumbhub.crypto.PasswordHash;
import crumbhub.server.domain.Domain;
import crumbhub.server.domain.Names;
import crumbhub.server.domain.Reason;
import crumbhub.server.domain.RegistrationMode;
import crumbhub.server.domain.Rejected;
import crumbhub.server.domain.User;
import crumbhub.wire.AuthFrame;
import crumbhub.wire.log.Log;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.Frame;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * REGISTER, LOGIN and RESUME (protocol §3) on the core thread, with PBKDF2 on the
 * {@link HashWorkers} and failures throttled by {@link LoginThrottle}. Failures never say whether
 * a user exists: an unknown user costs the same hash (of a dummy) and gets the same
 * {@code bad_credentials} after the same delay as a wrong password.
 *
 * <p>Passwords arrive as bytes and must be strict UTF-8; they enter PBKDF2 as those bytes, and a
 * legacy record is upgraded at the next successful login ({@link Passwords}). A new password needs
 * {@code passwordMinLength} characters. Password arrays are zeroed after use.
 */
final class Authenticator {
    private static final Log LOG = Log.get("crumbhub.server.auth");
    private static final String NOT_UTF8 = "a password must be valid UTF-8 text";

    /**
     * Continues a successful authentication once its records are applied (not yet durable);
     * {@code wrote} is false for a resume that wrote nothing (the store refuses writes).
     */
    interface Success {
        void authenticated(Session s, int requestId, Domain.Authenticated auth, boolean wrote);
    }

    /** The ERROR a write would get right now (storage failing, store lagging), or null. */
    interface WriteGate {
        Frame refusal(int requestId);
    }

    private final Domain domain;
    private final CoreExecutor core;
    private final HashWorkers hashers;
    private final LoginThrottle throttle;
    private final SecureRandom random;
    private final RegistrationMode mode;
    private final int iterations;
    /**
     * The hash an unknown user's password is checked against, created on a hash worker at start
     * (it costs as much as any hash, ~0.3 s, which start-up need not wait for). Read on hash
     * workers only; the first logins may wait for it there.
     */
    private final java.util.concurrent.CompletableFuture<Passwords.Stored> dummy = new java.util.concurrent.CompletableFuture<>();
    private final Success success;
    private final WriteGate gate;
    private final RegistrationRates registrations;
    private final Counters counters;
    private final int passwordMinLength;
    private final ServerSecrets.Pseudonyms pseudonyms;

    Authenticator(Domain domain, CoreExecutor core, HashWorkers hashers, LoginThrottle throttle, SecureRandom random,
                  RegistrationMode mode, int iterations, Success success, WriteGate gate,
                  RegistrationRates registrations, Counters counters, int passwordMinLength,
                  ServerSecrets.Pseudonyms pseudonyms) {
        this.pseudonyms = pseudonyms;
        this.domain = domain;
        this.core = core;
        this.hashers = hashers;
        this.throttle = throttle;
        this.random = random;
        this.mode = mode;
        this.iterations = iterations;
        this.success = success;
        this.gate = gate;
        this.registrations = registrations;
        this.counters = counters;
        this.passwordMinLength = passwordMinLength;
        Runnable makeDummy = () -> dummy.complete(new Passwords.Stored(
                PasswordHash.create("crumbhub-dummy-password".toCharArray(), random, iterations), false));
        if (!hashers.submit(makeDummy)) {
            makeDummy.run();
        }
    }

    /**
     * REGISTER, checked in this order: the address's login throttle and registration budget; mode,
     * name and invite; the password's rules; the name's availability. A taken name costs the same
     * password hash as a new account before {@code exists} is sent (no cheap probe for names) and
     * counts against nobody's login. Only a request that can succeed takes from the server-wide
     * registration budget, so refused attempts cannot use it up for real invitees.
     */
    void register(Session s, AuthFrame.Register f) {
        String address = s.peer().remoteHost();
        if (refusedByThrottle(s, f.requestId(), null, false) || refusedDeviceName(s, f.requestId(), f.deviceName())) {
            wipe(f.password());
            return;
        }
        if (refusedByBudget(s, f, registrations.admitAddress(address, core.nanoTime()))) {
            return;
        }
        boolean exists = false;
        try {
            domain.checkRegistration(mode, f.user(), f.invite());
        } catch (Rejected r) {
            if (r.reason() != Reason.EXISTS) {
                wipe(f.password());
                if (r.reason() == Reason.INVITE_INVALID) {
                    // invite guessing is slowed like password guessing, per address
                    replyLater(s, throttle.failure(null, address), Errors.of(f.requestId(), r));
                    LOG.info("register_refused", "reason", r.reason().code(), "addr", address);
                } else {
                    reply(s, Errors.of(f.requestId(), r));
                }
                return;
            }
            exists = true;
        }
        char[] pw = Passwords.utf8(f.password());
        String refusal = pw == null ? NOT_UTF8 : Passwords.length(f.password()) < passwordMinLength
                ? "a password needs at least " + passwordMinLength + " characters on this server" : null;
        wipe(f.password());
        if (refusal != null) {
            if (pw != null) {
                Arrays.fill(pw, '\0');
            }
            reply(s, Errors.of(f.requestId(), ErrorCode.FORBIDDEN, refusal));
            return;
        }
        if (!exists && refusedByBudget(s, f, registrations.admitGlobal(core.nanoTime()))) {
            Arrays.fill(pw, '\0');
            return;
        }
        boolean taken = exists;
        boolean queued = hashers.submit(() -> {
            String hash = Passwords.create(pw, random, iterations);
            Arrays.fill(pw, '\0');
            counters.passwordHashes.increment();
            core.execute(() -> {
                if (taken) {
                    LOG.info("register_refused", "reason", Reason.EXISTS.code(), "addr", address);
                    reply(s, Errors.of(f.requestId(), ErrorCode.EXISTS, "that user name is taken"));
                } else {
                    registerHashed(s, f, hash);
                }
            });
        });
        if (!queued) {
            Arrays.fill(pw, '\0');
            reply(s, Errors.busy(f.requestId()));
        }
    }

    /** Answers {@code invalid_name} for a device name with control or bidirectional-override characters. */
    private static boolean refusedDeviceName(Session s, int requestId, String deviceName) {
        try {
            Names.device(deviceName);
            return false;
        } catch (Rejected r) {
            reply(s, Errors.of(requestId, r));
            return true;
        }
    }

    /** Answers {@code throttled} for a spent registration budget; false if {@code tooMany} is null. */
    private boolean refusedByBudget(Session s, AuthFrame.Register f, RegistrationRates.Refusal tooMany) {
        if (tooMany == null) {
            return false;
        }
        wipe(f.password());
        String when = "try again in " + humane(tooMany.retryAfter());
        reply(s, Errors.of(f.requestId(), ErrorCode.THROTTLED, tooMany.global()
                ? "too many new accounts on this server right now; " + when
                : "too many new accounts from your address; " + when));
        LOG.info("register_throttled", "addr", s.peer().remoteHost(), "scope", tooMany.global() ? "global" : "address");
        return true;
    }

    private void registerHashed(Session s, AuthFrame.Register f, String hash) {
        if (s.phase() != Session.Phase.AUTH || refusedByStore(s, f.requestId())) {
            return;
        }
        try {
            var auth = domain.register(mode, f.user(), f.invite(), hash, f.deviceName(), s.peer().remoteStatic());
            LOG.info("registered", "user", auth.device().userName(), "device", auth.device().id(),
                    "addr", s.peer().remoteHost());
            throttle.loggedIn(auth.device().userName(), s.peer().remoteHost());
            success.authenticated(s, f.requestId(), auth, true);
        } catch (Rejected r) {
            reply(s, Errors.of(f.requestId(), r));
        }
    }

    /**
     * LOGIN. The account's throttle (failures spread over several addresses) holds back neither a
     * connection whose device key is one of the account's devices nor an address that logged in
     * to the account before ({@link LoginThrottle}): others' failures cannot lock the owner out.
     */
    void login(Session s, AuthFrame.Login f) {
        String account = accountKey(f.user());
        User user = domain.lookupUser(f.user());
        boolean ownDevice = user != null && user.deviceWithKey(s.peer().remoteStatic()) != null;
        if (refusedByThrottle(s, f.requestId(), account, ownDevice) || refusedDeviceName(s, f.requestId(), f.deviceName())) {
            wipe(f.password());
            return;
        }
        if (!Passwords.isUtf8(f.password())) {
            wipe(f.password());
            reply(s, Errors.of(f.requestId(), ErrorCode.FORBIDDEN, NOT_UTF8));
            return;
        }
        String address = s.peer().remoteHost();
        if (!throttle.begin(address)) {
            wipe(f.password());
            reply(s, Errors.of(f.requestId(), ErrorCode.THROTTLED,
                    "too many failed attempts; another login from your address is being checked, try again in 1 s"));
            return;
        }
        String stored = user == null ? null : user.passwordHash();
        byte[] pw = f.password().clone();
        wipe(f.password());
        boolean queued = hashers.submit(() -> {
            Passwords.Stored hash = decodeOrDummy(stored);
            boolean ok = Passwords.verify(hash, pw) && stored != null;
            String rehash = ok && (hash.legacy() || hash.hash().iterations() < iterations) ? rehash(pw) : null;
            wipe(pw);
            core.execute(() -> {
                throttle.end(address);
                loginChecked(s, f, account, ok ? user : null, rehash, ownDevice);
            });
        });
        if (!queued) {
            throttle.end(address);
            wipe(pw);
            reply(s, Errors.busy(f.requestId()));
        }
    }

    /** A new record for a password that just matched a legacy or weaker one. Hash worker. */
    private String rehash(byte[] password) {
        char[] chars = Passwords.utf8(password);
        try {
            return Passwords.create(chars, random, iterations);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    private Passwords.Stored decodeOrDummy(String stored) {
        if (stored == null) {
            return dummy.join();
        }
        try {
            return Passwords.decode(stored);
        } catch (CryptoException e) {
            LOG.error("password_hash_unreadable", "error", e.getMessage());
            return dummy.join();
        }
    }

    private void loginChecked(Session s, AuthFrame.Login f, String account, User checked, String rehash,
                              boolean ownDevice) {
        if (s.phase() != Session.Phase.AUTH) {
            return;
        }
        // the state may have been rolled back (storage fault) while the hash ran: use today's object
        User user = checked == null ? null : domain.state().user(checked.name());
        if (user == null) {
            fail(s, f.requestId(), account, ownDevice, "login_failed", account);
            return;
        }
        throttle.success(account, s.peer().remoteHost());
        if (refusedByStore(s, f.requestId())) {
            return;
        }
        try {
            var auth = domain.login(user, f.deviceName(), s.peer().remoteStatic());
            if (rehash != null) {
                domain.changePassword(user, rehash);
            }
            LOG.info("login", "user", user.name(), "device", auth.device().id(), "addr", s.peer().remoteHost());
            success.authenticated(s, f.requestId(), auth, true);
        } catch (Rejected r) {
            LOG.info("login_refused", "user", user.name(), "reason", r.reason().code());
            reply(s, Errors.of(f.requestId(), r));
        }
    }

    void resume(Session s, AuthFrame.Resume f) {
        String account = accountKey(f.user());
        if (refusedByThrottle(s, f.requestId(), null, false)) {
            return;
        }
        byte[] token = f.token().toByteArray();
        // while the store refuses writes a device still resumes (to read and sync); only its last-seen time waits
        boolean write = gate.refusal(f.requestId()) == null;
        try {
            var auth = domain.resume(f.user(), f.deviceId(), token, s.peer().remoteStatic(), write);
            LOG.debug("resume", "user", auth.device().userName(), "device", auth.device().id());
            throttle.loggedIn(auth.device().userName(), s.peer().remoteHost());
            success.authenticated(s, f.requestId(), auth, write);
        } catch (Rejected r) {
            if (r.reason() == Reason.BAD_CREDENTIALS) {
                fail(s, f.requestId(), null, false, "resume_failed", account);
            } else {
                reply(s, Errors.of(f.requestId(), r));
            }
        } finally {
            Arrays.fill(token, (byte) 0);
        }
    }

    /** A failed attempt: counted against {@code throttleAccount} (null: address only) and answered late. */
    private void fail(Session s, int requestId, String throttleAccount, boolean ownDevice, String event, String account) {
        counters.loginFailures.increment();
        Duration delay = throttle.failure(throttleAccount, s.peer().remoteHost(), ownDevice);
        LOG.info(event, "user_hash", pseudonyms.of(account), "addr", s.peer().remoteHost(), "delay_ms", delay.toMillis());
        replyLater(s, delay, Errors.of(requestId, ErrorCode.BAD_CREDENTIALS, "wrong user name or password"));
    }

    /** A wait as people say it: "40 s", "12 min", "2 h". */
    static String humane(Duration d) {
        long s = Math.max(1, (d.toMillis() + 999) / 1000);
        return s < 120 ? s + " s" : s < 7200 ? (s + 59) / 60 + " min" : (s + 3599) / 3600 + " h";
    }

    private boolean refusedByStore(Session s, int requestId) {
        Frame refusal = gate.refusal(requestId);
        if (refusal != null) {
            reply(s, refusal);
            return true;
        }
        return false;
    }

    private boolean refusedByThrottle(Session s, int requestId, String account, boolean ownDevice) {
        Duration wait = throttle.retryAfter(account, s.peer().remoteHost(), ownDevice);
        if (wait.isZero()) {
            return false;
        }
        reply(s, Errors.of(requestId, ErrorCode.THROTTLED, "too many failed attempts; try again in " + humane(wait)));
        return true;
    }

    /** Sends the reply after {@code delay} without holding any thread; the session stays pending until then. */
    private void replyLater(Session s, Duration delay, Frame reply) {
        core.schedule(delay, () -> reply(s, reply));
    }

    private static void reply(Session s, Frame reply) {
        s.endAuth();
        if (!s.isClosing()) {
            s.peer().send(reply);
        }
    }

    /** The throttle key of an account name: its folded form, whether or not the user exists. */
    private static String accountKey(String raw) {
        try {
            return Names.userRef(raw);
        } catch (Rejected invalid) {
            return raw.toLowerCase(Locale.ROOT);
        }
    }

    private static void wipe(byte[] b) {
        Arrays.fill(b, (byte) 0);
    }
}
