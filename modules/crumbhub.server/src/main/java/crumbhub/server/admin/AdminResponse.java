package crumbhub.server.admin;

import java.util.List;

/**
 * The answer to one admin request. On the socket: a first line {@code ok} or
 * {@code error <sentence>}, then the result lines, then the server closes the connection.
 */
public record AdminResponse(boolean ok, String error, List<String> lines) {
    public AdminResponse {
        lines = List.copyOf(lines);
    }

    public static AdminResponse ok(List<String> lines) {
        return new AdminResponse(true, "", lines);
    }

    public static AdminResponse error(String sentence) {
        return new AdminResponse(false, sentence.replace('\n', ' '), List.of());
    }
}
