package crumbhub.server.core;

import crumbhub.server.domain.Rejected;
import crumbhub.wire.ControlFrame;
import crumbhub.wire.ErrorCode;
import crumbhub.wire.Limits;
import java.nio.charset.StandardCharsets;

/** Builds ERROR frames (protocol §5) with sentences cut to the TEXT bound. */
final class Errors {
    private Errors() {}

    static ControlFrame.Error of(int requestId, ErrorCode code, String sentence) {
        return ControlFrame.Error.of(requestId, code, fit(sentence));
    }

    static ControlFrame.Error of(int requestId, Rejected r) {
        ErrorCode code = ErrorCode.fromCode(r.reason().code()).orElse(ErrorCode.INTERNAL);
        return of(requestId, code, r.getMessage());
    }

    static ControlFrame.Error storage(int requestId) {
        return of(requestId, ErrorCode.STORAGE, "the server could not store this; try again later");
    }

    static ControlFrame.Error busy(int requestId) {
        return of(requestId, ErrorCode.THROTTLED, "the server is busy; try again shortly");
    }

    private static String fit(String s) {
        if (s.getBytes(StandardCharsets.UTF_8).length <= Limits.TEXT) {
            return s;
        }
        var out = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + n > Limits.TEXT - 3) {
                break;
            }
            out.appendCodePoint(cp);
            bytes += n;
            i += Character.charCount(cp);
        }
        return out.append("...").toString();
    }
}
