package crumbhub.wire.log;

/** How log lines look on stderr: {@code key=value} text, or one JSON object a line. */
public enum LogFormat {
    TEXT, JSON
}
