package crumbhub.wire.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class LocalAddressTest extends LoopbackFixture {
    @Test
    void aClientConnectsFromTheLocalAddressItAsksFor() throws Exception {
        var local = new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 2}), 0);
        var client = new RecordingHandler();
        NoiseClient.connect(address(), local, clientLoop, clientKey, client, ConnectionOptions.client());
        client.awaitReady();
        Connection server = nextServerHandler().awaitReady();
        assertThat(server.remoteAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.2");
    }

    @Test
    void aLocalAddressThatCannotBeBoundIsAnIoError() throws Exception {
        var foreign = new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1}), 0);
        assertThatThrownBy(() -> NoiseClient.connect(address(), foreign, clientLoop, clientKey, new RecordingHandler(),
                ConnectionOptions.client())).isInstanceOf(IOException.class);
    }
}
