package crumbhub.server.admin;

import crumbhub.wire.SafeText;
import java.util.List;

/**
 * The answer to one admin request. On the socket: a first line {@code ok} or
 * {@code error <sentence>}, then the result lines, then the server closes the connection.
 */
public record AdminResponse(boolean ok, String error, List<String> lines) {
    /**
     * Every line and the error are escaped ({@link SafeText#escapeLine}): a name holding a newline
     * or a terminal escape sequence can neither forge a line of the admin protocol nor act on the
     * operator's terminal. Tabs stay: they separate columns, and each column that holds free text
     * is escaped whole where the line is built.
     */
    public AdminResponse {
        lines = lines.stream().map(SafeText::escapeLine).toList();
        error = SafeText.escapeLine(error);
    }

    public static AdminResponse ok(List<String> lines) {
        return new AdminResponse(true, "", lines);
    }

    public static AdminResponse error(String sentence) {
        return new AdminResponse(false, sentence.replace('\n', ' '), List.of());
    }
}
