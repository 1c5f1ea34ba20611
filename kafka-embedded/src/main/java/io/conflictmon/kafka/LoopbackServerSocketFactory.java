package io.conflictmon.kafka;

import org.apache.kafka.server.ServerSocketFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Binds the broker's listener sockets on 127.0.0.1 BEFORE Kafka starts, then hands them to Kafka's
 * socket servers.
 *
 * <p>Why not let Kafka bind: the controller port has to be written into
 * {@code controller.quorum.voters} before the node starts, so "port 0" has to be resolved up front.
 * Probing for a free port and closing it again leaves a window in which another process can take it;
 * holding the bound socket closes that window. Kafka's own test kit does the same
 * ({@code PreboundSocketFactoryManager} in kafka-test-common-runtime), which is not a dependency we want
 * in production code, hence this small class.
 */
final class LoopbackServerSocketFactory implements ServerSocketFactory, AutoCloseable {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** Listener name to the bound socket Kafka has not taken yet. Guarded by {@code this}. */
    private final Map<String, ServerSocketChannel> unclaimed = new HashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();

    private LoopbackServerSocketFactory() {
    }

    /**
     * Binds one socket per listener on 127.0.0.1; port 0 picks a free port.
     *
     * @throws IllegalStateException when a fixed port is already in use, naming the listener and port
     */
    static LoopbackServerSocketFactory bind(Map<String, Integer> requestedPorts) {
        LoopbackServerSocketFactory factory = new LoopbackServerSocketFactory();
        try {
            for (Map.Entry<String, Integer> listener : requestedPorts.entrySet()) {
                factory.bindListener(listener.getKey(), listener.getValue());
            }
            return factory;
        } catch (RuntimeException e) {
            factory.close();
            throw e;
        }
    }

    private synchronized void bindListener(String listenerName, int port) {
        InetSocketAddress address = new InetSocketAddress(LOOPBACK, port);
        ServerSocketChannel channel = null;
        try {
            channel = ServerSocketChannel.open();
            // lets a restarted broker take its old port while connections of the previous run sit in TIME_WAIT
            channel.socket().setReuseAddress(true);
            channel.bind(address);
            int boundPort = ((InetSocketAddress) channel.getLocalAddress()).getPort();
            unclaimed.put(listenerName, channel);
            ports.put(listenerName, boundPort);
        } catch (BindException e) {
            closeQuietly(channel);
            throw new IllegalStateException("Cannot bind the " + listenerName + " listener to "
                    + LOOPBACK.getHostAddress() + ":" + port + " (" + e.getMessage()
                    + "); another process holds the port", e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("Cannot open the " + listenerName + " listener socket on "
                    + LOOPBACK.getHostAddress() + ":" + port, e);
        }
    }

    /** The port bound for a listener. */
    synchronized int port(String listenerName) {
        Integer port = ports.get(listenerName);
        if (port == null) {
            throw new IllegalArgumentException("No socket was bound for listener " + listenerName
                    + "; bound listeners: " + ports.keySet());
        }
        return port;
    }

    @Override
    public synchronized ServerSocketChannel openServerSocket(String listenerName,
                                                             InetSocketAddress socketAddress,
                                                             int listenBacklogSize,
                                                             int recvBufferSize) throws IOException {
        ServerSocketChannel channel = unclaimed.remove(listenerName);
        if (channel == null || !channel.isOpen()) {
            // a listener we did not pre-bind (or one asked for twice): bind the way Kafka normally does
            return ServerSocketFactory.INSTANCE.openServerSocket(listenerName, socketAddress,
                    listenBacklogSize, recvBufferSize);
        }
        channel.configureBlocking(false);
        if (recvBufferSize > 0) {
            channel.socket().setReceiveBufferSize(recvBufferSize);
        }
        return channel;
    }

    /** Closes sockets Kafka never took (a start that failed early); sockets Kafka took are Kafka's to close. */
    @Override
    public synchronized void close() {
        unclaimed.values().forEach(LoopbackServerSocketFactory::closeQuietly);
        unclaimed.clear();
    }

    private static void closeQuietly(ServerSocketChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing listens on it any more either way
        }
    }
}
