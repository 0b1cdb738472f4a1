package crumbhub.server;

/** Entry point of bin/crumbhub-server. */
public final class Main {
    public static void main(String[] args) {
        System.out.println("crumbhub-server: not yet");
    }
}
