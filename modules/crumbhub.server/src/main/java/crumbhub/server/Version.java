package crumbhub.server;

/** The version of this server, from its module descriptor (set by the build), for messages and metrics. */
public final class Version {
    private Version() {}

    public static String current() {
        return crumbhub.wire.cli.ProgramVersion.of(Version.class);
    }
}
