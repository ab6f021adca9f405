package dev.ledgerhook.tracing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A stand-in X-Ray daemon: a UDP socket on an ephemeral loopback port that hands back what it
 * received. For the functions' tests; core's own tests keep a copy, since the harness depends on core.
 */
public final class DaemonListener implements AutoCloseable {

    public static final String PROTOCOL_HEADER = "{\"format\": \"json\", \"version\": 1}\n";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DatagramSocket socket;

    public DaemonListener() throws IOException {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    }

    /** The address setting that points a tracer here, as {@code AWS_XRAY_DAEMON_ADDRESS} would. */
    public String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    /**
     * The subsegment documents received until none arrives for {@code quietMillis}; each datagram
     * must start with the daemon protocol's header line.
     */
    public List<JsonNode> received(int quietMillis) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        byte[] buffer = new byte[65_536];
        socket.setSoTimeout(quietMillis);
        while (true) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException quiet) {
                return documents;
            }
            String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
            if (!text.startsWith(PROTOCOL_HEADER)) {
                throw new AssertionError("not the daemon protocol: " + text);
            }
            documents.add(JSON.readTree(text.substring(PROTOCOL_HEADER.length())));
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
