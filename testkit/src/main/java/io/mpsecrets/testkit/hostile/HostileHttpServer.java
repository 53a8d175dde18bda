package io.mpsecrets.testkit.hostile;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP server on loopback that answers the way a broken or hostile service would: a body far larger than any
 * secret, a body trickled a byte at a time, JSON of the wrong shape, no answer at all. Answers are chosen by path
 * prefix (the longest that matches), else the default. Written on a plain socket so that the timing of every byte is
 * the test's. Each connection is answered once and closed.
 */
public final class HostileHttpServer implements AutoCloseable {

    /** How to answer one request. */
    @FunctionalInterface
    public interface Answer {
        void write(OutputStream out) throws IOException, InterruptedException;
    }

    private final ServerSocket socket;
    private final Thread acceptor;
    private final Map<String, Answer> byPath = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Answer fallback;
    private volatile boolean closed;

    private final String scheme;

    private HostileHttpServer(Answer fallback, ServerSocket socket, String scheme) {
        this.fallback = fallback;
        this.socket = socket;
        this.scheme = scheme;
        this.acceptor = new Thread(this::accept, "hostile-http-" + socket.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts on a free loopback port, answering every request with {@code fallback}. */
    public static HostileHttpServer start(Answer fallback) {
        try {
            return new HostileHttpServer(fallback, new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), "http");
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on loopback", e);
        }
    }

    /**
     * The same over TLS with {@code tls} (see {@link io.mpsecrets.testkit.TestCertificates}), for clients that speak
     * only https (Azure's).
     */
    public static HostileHttpServer startTls(javax.net.ssl.SSLContext tls, Answer fallback) {
        try {
            return new HostileHttpServer(
                    fallback,
                    tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress()),
                    "https");
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on loopback", e);
        }
    }

    /** Answers requests whose path starts with {@code prefix} with {@code answer}. */
    public HostileHttpServer on(String prefix, Answer answer) {
        byPath.put(prefix, answer);
        return this;
    }

    public void fallback(Answer answer) {
        this.fallback = answer;
    }

    public URI endpoint() {
        return URI.create(scheme + "://127.0.0.1:" + socket.getLocalPort());
    }

    public int requests() {
        return requests.get();
    }

    // ---- answers ----

    /** {@code status} with a JSON body. */
    public static Answer json(int status, String body) {
        return bytes(status, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    public static Answer bytes(int status, String contentType, byte[] body) {
        return out -> {
            head(out, status, contentType, body.length);
            out.write(body);
        };
    }

    /**
     * A JSON body of {@code size} bytes, made as it is sent (never held in memory): {@code prefix}, then as many
     * {@code filler} bytes as it takes, then {@code suffix}.
     */
    public static Answer huge(int status, String prefix, char filler, String suffix, long size) {
        return out -> {
            byte[] head = prefix.getBytes(StandardCharsets.UTF_8);
            byte[] tail = suffix.getBytes(StandardCharsets.UTF_8);
            head(out, status, "application/json", size);
            out.write(head);
            byte[] block = new byte[64 * 1024];
            java.util.Arrays.fill(block, (byte) filler);
            long left = size - head.length - tail.length;
            while (left > 0) {
                int n = (int) Math.min(block.length, left);
                out.write(block, 0, n);
                left -= n;
            }
            out.write(tail);
        };
    }

    /** Headers at once, then the body one byte every {@code perByte}. */
    public static Answer trickle(int status, String body, Duration perByte) {
        return out -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            head(out, status, "application/json", bytes.length);
            out.flush();
            for (byte b : bytes) {
                out.write(b);
                out.flush();
                Thread.sleep(perByte.toMillis());
            }
        };
    }

    /** Reads the request and never answers (until the server closes). */
    public static Answer silence() {
        return out -> Thread.sleep(Long.MAX_VALUE);
    }

    private static void head(OutputStream out, int status, String contentType, long length) throws IOException {
        String head = "HTTP/1.1 " + status + " Hostile\r\nContent-Type: " + contentType + "\r\nContent-Length: "
                + length + "\r\nx-amzn-RequestId: hostile-1\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    }

    // ---- serving ----

    private void accept() {
        while (!closed) {
            try {
                Socket connection = socket.accept();
                Thread handler = new Thread(() -> handle(connection), "hostile-http-conn");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket connection) {
        try (connection) {
            InputStream in = new BufferedInputStream(connection.getInputStream());
            String path = readRequest(in);
            requests.incrementAndGet();
            Answer answer = fallback;
            int best = -1;
            for (Map.Entry<String, Answer> candidate : byPath.entrySet()) {
                if (path.startsWith(candidate.getKey()) && candidate.getKey().length() > best) {
                    best = candidate.getKey().length();
                    answer = candidate.getValue();
                }
            }
            OutputStream out = connection.getOutputStream();
            answer.write(out);
            out.flush();
        } catch (IOException | InterruptedException e) {
            // the client went away, or the server closed
        }
    }

    /** Reads the request line, headers and body; returns the path. */
    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        long length = 0;
        for (String line : lines) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(line.substring(15).trim());
            }
        }
        in.skipNBytes(length);
        String[] request = lines[0].split(" ");
        return request.length > 1 ? request[1] : "/";
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
