package crumbhub.client;

/** Entry point of bin/crumbhub-client. */
public final class Main {
    public static void main(String[] args) {
        System.out.println("crumbhub-client: not yet");
    }
}
