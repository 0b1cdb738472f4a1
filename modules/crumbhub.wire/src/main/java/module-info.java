/** Frames, the message codec, the Selector event loop and the Noise-secured connection. */
module crumbhub.wire {
    requires transitive crumbhub.crypto;
    exports crumbhub.wire;
    exports crumbhub.wire.loop;
    exports crumbhub.wire.net;
    exports crumbhub.wire.log;
    exports crumbhub.wire.cli;

    // Every program of the image logs through this finder (text or JSON lines on stderr). It lives
    // in the module that server, client and bench all share, so binding the service never pulls
    // server code into a client process.
    provides java.lang.System.LoggerFinder with crumbhub.wire.log.LineLoggerFinder;
}
