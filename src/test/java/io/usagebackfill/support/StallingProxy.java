package io.usagebackfill.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 in front of the test database that stalls connections like a broken network path: a
 * stalled connection stays open and passes nothing either way. Either every connection stalls from the start (a
 * server that accepts and never answers) or each one once it has sent a given number of bytes to the server (the
 * connection writing a chunk's COPY data), while the others go on working. Closing the proxy drops every
 * connection, as the server does when it notices its client is gone.
 */
public final class StallingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final long stallAfterBytes;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger stalled = new AtomicInteger();
    private volatile boolean closed;

    private StallingProxy(String targetHost, int targetPort, long stallAfterBytes) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.stallAfterBytes = stallAfterBytes;
        Thread acceptor = new Thread(this::accept, "stalling-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A server that accepts connections and never says anything. */
    public static StallingProxy silent() throws IOException {
        return new StallingProxy(null, 0, 0);
    }

    /** A proxy whose connections each stall once they have sent {@code bytes} to the server. */
    public static StallingProxy stallingAfter(String targetHost, int targetPort, long bytes) throws IOException {
        return new StallingProxy(targetHost, targetPort, bytes);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** How many connections have stalled. */
    public int stalledConnections() {
        return stalled.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                if (stallAfterBytes == 0) {
                    stalled.incrementAndGet();
                    continue;
                }
                Socket target = new Socket(targetHost, targetPort);
                sockets.add(target);
                AtomicLong sent = new AtomicLong();
                pump(client, target, sent, true);
                pump(target, client, sent, false);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, AtomicLong sentToServer, boolean toServer) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    if (toServer && sentToServer.get() < stallAfterBytes
                            && sentToServer.addAndGet(n) >= stallAfterBytes) {
                        stalled.incrementAndGet();
                    }
                    while (sentToServer.get() >= stallAfterBytes && !closed) {
                        Thread.sleep(20);
                    }
                    out.write(buffer, 0, n);
                }
            } catch (IOException | InterruptedException e) {
                // the connection is gone: nothing more to pass
            }
        }, "stalling-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
