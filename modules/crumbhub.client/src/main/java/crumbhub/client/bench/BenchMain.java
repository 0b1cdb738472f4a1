package crumbhub.client.bench;

/** Entry point of bin/crumbhub-bench. */
public final class BenchMain {
    public static void main(String[] args) {
        System.out.println("crumbhub-bench: not yet");
    }
}
