package dev.hsdo.testing;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PortsTest {
    @Test
    void manyPortsAreDistinctAndBindable() throws IOException {
        int[] ports = Ports.free(20);
        assertThat(Arrays.stream(ports).distinct().count()).isEqualTo(20);
        for (int p : ports) {
            try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                assertThat(s.getLocalPort()).isEqualTo(p);
            }
        }
    }

    @Test
    void zeroPortsIsRefused() {
        assertThatThrownBy(() -> Ports.free(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
    }
}
