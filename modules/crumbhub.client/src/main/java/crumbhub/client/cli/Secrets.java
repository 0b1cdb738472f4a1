package crumbhub.client.cli;

import crumbhub.client.ClientException;
import crumbhub.client.home.PassphraseSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reading passwords and passphrases: from the terminal without echo, from stdin, or from the environment. */
final class Secrets {
    /** Protocol §2 PASSWORD bound, in UTF-8 bytes. */
    static final int MAX_PASSWORD_BYTES = crumbhub.wire.Limits.PASSWORD;
    /** The fewest characters of a new password; servers refuse shorter ones (docs/server.md "Passwords"). */
    static final int MIN_PASSWORD_CHARS = crumbhub.wire.Limits.PASSWORD_MIN;
    static final String PASSPHRASE_ENV = "CRUMBHUB_PASSPHRASE";
    static final String NEW_PASSPHRASE_ENV = "CRUMBHUB_NEW_PASSPHRASE";

    private Secrets() {}

    /**
     * The account password: one line of stdin with {@code --password-stdin}, else typed on the
     * terminal ({@code confirm}: twice, and both must match). Returned as UTF-8 bytes; the caller
     * zeroes them. A new password ({@code confirm}) needs {@link crumbhub.wire.Limits#PASSWORD_MIN}
     * characters, checked here before anything is sent; a server may require more and says so.
     */
    static byte[] password(Io io, boolean fromStdin, boolean confirm) {
        char[] chars = fromStdin ? readLine(io, "the password", MAX_PASSWORD_BYTES) : askTwice(io, "Password: ", "Repeat password: ", confirm,
                "no terminal to read the password from; pipe it in with --password-stdin");
        try {
            if (chars.length == 0) {
                throw ClientException.usage("the password is empty");
            }
            if (confirm && Character.codePointCount(chars, 0, chars.length) < MIN_PASSWORD_CHARS) {
                throw ClientException.usage("the password is shorter than " + MIN_PASSWORD_CHARS
                        + " characters; choose a longer one");
            }
            byte[] bytes = utf8(chars);
            if (bytes.length > MAX_PASSWORD_BYTES) {
                Arrays.fill(bytes, (byte) 0);
                throw ClientException.usage("the password is longer than " + MAX_PASSWORD_BYTES + " bytes");
            }
            return bytes;
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /** The store passphrase for an existing wrapped key: {@code CRUMBHUB_PASSPHRASE}, else the terminal. */
    static PassphraseSource storePassphrase(Io io) {
        return prompt -> {
            String fromEnv = io.env(PASSPHRASE_ENV);
            if (fromEnv != null) {
                return fromEnv.toCharArray();
            }
            char[] typed = io.terminal().readSecret(prompt);
            if (typed == null) {
                throw ClientException.store("the local store is protected by a passphrase: set "
                        + PASSPHRASE_ENV + " or run on a terminal");
            }
            return typed;
        };
    }

    /** A new passphrase: from {@code envName} if set, else typed twice on the terminal. */
    static char[] newPassphrase(Io io, String envName) {
        String fromEnv = io.env(envName);
        char[] chars = fromEnv != null ? fromEnv.toCharArray()
                : askTwice(io, "New passphrase: ", "Repeat new passphrase: ", true,
                        "no terminal to read the new passphrase from; set " + envName);
        if (chars.length == 0) {
            throw ClientException.usage("the passphrase is empty");
        }
        return chars;
    }

    private static char[] askTwice(Io io, String prompt, String again, boolean confirm, String noTerminal) {
        char[] first = io.terminal().readSecret(prompt);
        if (first == null) {
            throw ClientException.usage(noTerminal);
        }
        if (!confirm) {
            return first;
        }
        char[] second = io.terminal().readSecret(again);
        try {
            if (second == null || !Arrays.equals(first, second)) {
                Arrays.fill(first, '\0');
                throw ClientException.usage("the two entries do not match");
            }
            return first;
        } finally {
            if (second != null) {
                Arrays.fill(second, '\0');
            }
        }
    }

    /** The recovery code: one line of stdin ({@code --recovery-code-stdin}), after the password line if one is read. */
    static String recoveryCode(Io io) {
        char[] chars = readLine(io, "the recovery code", MAX_PASSWORD_BYTES);
        try {
            String code = new String(chars).strip();
            if (code.isEmpty()) {
                throw ClientException.usage("--recovery-code-stdin: no recovery code on stdin");
            }
            return code;
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /**
     * One line of stdin, without its line terminator, at most {@code max} bytes; {@code what}
     * names it in errors. Reads byte by byte, so nothing after the line is consumed: the chat's
     * line mode reads the rest of stdin after the first-run prompts.
     */
    static char[] readLine(Io io, String what, int max) {
        var bytes = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = io.in().read()) >= 0 && b != '\n') {
                if (bytes.size() > max + 1) {
                    throw ClientException.usage(what + " is longer than " + max + " bytes");
                }
                bytes.write(b);
            }
        } catch (IOException e) {
            throw ClientException.usage("cannot read " + what + " from stdin: " + e.getMessage());
        }
        byte[] raw = bytes.toByteArray();
        int length = raw.length;
        if (length > 0 && raw[length - 1] == '\r') {
            length--;
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw, 0, length));
            char[] out = new char[chars.remaining()];
            chars.get(out);
            Arrays.fill(chars.array(), '\0');
            return out;
        } catch (CharacterCodingException e) {
            throw ClientException.usage(what + " on stdin is not valid UTF-8");
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    private static byte[] utf8(char[] chars) {
        ByteBuffer buffer = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        Arrays.fill(buffer.array(), (byte) 0);
        return out;
    }
}
