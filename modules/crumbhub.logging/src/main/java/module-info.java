/**
 * The runtime image's {@link System.LoggerFinder}: one line per log record on stderr, as
 * {@code key=value} text or as a JSON object. It lives in its own module, apart from the server,
 * because the boot layer binds every provider of a service that {@code java.base} uses: a finder
 * inside {@code crumbhub.server} would pull the whole server into every client process.
 */
module crumbhub.logging {
    exports crumbhub.logging;

    provides java.lang.System.LoggerFinder with crumbhub.logging.LineLoggerFinder;
}
