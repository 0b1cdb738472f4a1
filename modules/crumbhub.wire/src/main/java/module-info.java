/** Frames, the message codec, the Selector event loop and the Noise-secured connection. */
module crumbhub.wire {
    requires transitive crumbhub.crypto;
    exports crumbhub.wire;
    exports crumbhub.wire.loop;
    exports crumbhub.wire.net;
}
