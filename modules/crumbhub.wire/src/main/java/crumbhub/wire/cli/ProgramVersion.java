package crumbhub.wire.cli;

/** The version of a program, as the build wrote it into its module (Maven's project version). */
public final class ProgramVersion {
    private ProgramVersion() {}

    /** The version of the module holding {@code anchor}, or {@code unknown} (class path, tests). */
    public static String of(Class<?> anchor) {
        var descriptor = anchor.getModule().getDescriptor();
        return descriptor == null ? "unknown" : descriptor.rawVersion().orElse("unknown");
    }

    /** The {@code --version} line: {@code crumbhub-client 0.2.0 (Java 25+36, /opt/crumbhub)}. */
    public static String line(String program, Class<?> anchor) {
        return program + " " + of(anchor) + " (Java " + Runtime.version() + ", " + System.getProperty("java.home") + ")";
    }
}
