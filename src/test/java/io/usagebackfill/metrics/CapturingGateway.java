package io.usagebackfill.metrics;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/** A stand-in Pushgateway on a free local port that keeps every push it is sent and answers 200. */
final class CapturingGateway implements AutoCloseable {

    /** One push: its HTTP method, path (the grouping key), Authorization header and body. */
    record Push(String method, String path, String authorization, String body) {
    }

    private final HttpServer server;
    private final List<Push> pushes = new CopyOnWriteArrayList<>();

    CapturingGateway() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            pushes.add(new Push(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"), body));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Push> pushes() {
        return List.copyOf(pushes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
