package crumbhub.server.config;

import java.time.Duration;
import java.util.Objects;

/**
 * What the file blob store keeps (docs/server.md "Files"): the largest blob, the bytes one account
 * and the whole server may hold in blobs, and how long blobs live. Lengths count sealed bytes
 * (header, padding and tags included), which is what the disk holds.
 *
 * @param maxBytes   largest blob ({@code limits.files.max.bytes}); larger uploads get {@code too_large}
 * @param userBytes  bytes of one account's blobs, unfinished ones included ({@code quota.files.user.bytes})
 * @param serverBytes bytes of every blob together ({@code quota.files.server.bytes})
 * @param retention  a blob is deleted this long after its upload began ({@code limits.files.retention})
 * @param unfinished an upload not finished this long after it began is deleted ({@code limits.files.unfinished})
 */
public record FileLimits(long maxBytes, long userBytes, long serverBytes, Duration retention, Duration unfinished) {
    /** 4 GiB: the largest file the issue asks for, sealed; larger files belong on another channel. */
    public static final long DEFAULT_MAX_BYTES = 4L << 30;
    /** 8 GiB per account: two of the largest files at once. */
    public static final long DEFAULT_USER_BYTES = 8L << 30;
    /** 64 GiB for the whole server; {@code disk.min.free} still applies on top. */
    public static final long DEFAULT_SERVER_BYTES = 64L << 30;

    public FileLimits {
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(unfinished, "unfinished");
        if (maxBytes < 1 || userBytes < 1 || serverBytes < 1 || retention.isNegative() || retention.isZero()
                || unfinished.isNegative() || unfinished.isZero()) {
            throw new IllegalArgumentException("file limits must be positive");
        }
    }

    /** The defaults an operator gets with no configuration. */
    public static FileLimits defaults() {
        return new FileLimits(DEFAULT_MAX_BYTES, DEFAULT_USER_BYTES, DEFAULT_SERVER_BYTES, Duration.ofDays(30),
                Duration.ofHours(24));
    }
}
