package io.usagebackfill.support;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A server on 127.0.0.1 that speaks just enough of PostgreSQL's protocol to ask the client for a password, as a
 * server with {@code scram-sha-256} or {@code password} in pg_hba.conf does (the machine's own PostgreSQL trusts
 * every local login): it declines SSL, reads the start-up message and answers "send a password in clear text".
 */
public final class PasswordAskingServer implements AutoCloseable {

    private static final int SSL_REQUEST = 80_877_103;
    private static final int CLEARTEXT_PASSWORD = 3;

    private final ServerSocket server;

    public PasswordAskingServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::serve, "password-asking-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket client = server.accept()) {
                DataInputStream in = new DataInputStream(client.getInputStream());
                OutputStream out = client.getOutputStream();
                while (true) {
                    int length = in.readInt();
                    int code = in.readInt();
                    in.skipNBytes(length - 8);
                    if (code != SSL_REQUEST) {
                        break;
                    }
                    out.write('N');
                    out.flush();
                }
                out.write(new byte[] {'R', 0, 0, 0, 8, 0, 0, 0, CLEARTEXT_PASSWORD});
                out.flush();
                // The client hangs up without a password; wait for it so the answer is read.
                in.read();
            } catch (IOException e) {
                // the client is gone, or the server closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
