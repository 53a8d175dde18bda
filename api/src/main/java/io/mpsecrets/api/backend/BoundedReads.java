package io.mpsecrets.api.backend;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reading what comes from outside (a service's answer, a file) up to a limit: more fails with {@link TooLarge}, what
 * was read is zeroed, and the rest is never read, so a hostile or broken server or file cannot make the reader hold
 * hundreds of megabytes. For the JDK's HTTP client ({@link #httpBody}), for any stream ({@link #stream}), and for a
 * whole stream read into memory ({@link #readAll}).
 */
public final class BoundedReads {

    private BoundedReads() {}

    /** More was sent than the limit allows; the message is the library's own and names the setting. */
    public static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(String setting, long limit) {
            super("larger than " + setting + " (" + Sizes.format(limit) + ")", null);
        }
    }

    /**
     * A body handler for {@link java.net.http.HttpClient} that reads at most {@code limit} bytes: a body that announces
     * or reaches more is abandoned (the subscription cancelled, what was read zeroed) and the exchange fails with
     * {@link TooLarge}. A {@code Content-Length} above the limit fails before a byte of the body is read.
     *
     * @param limit the most bytes the body may have
     * @param setting the setting that sets the limit, named in the failure
     * @return a handler whose body is the whole answer, in an array of its own size
     */
    public static HttpResponse.BodyHandler<byte[]> httpBody(long limit, String setting) {
        return info -> new HttpBody(
                limit,
                setting,
                info.headers().firstValueAsLong("Content-Length").orElse(-1));
    }

    /**
     * {@code in}, failing with {@link TooLarge} as soon as more than {@code limit} bytes were read from it: the read
     * that passes the limit throws instead of returning. Skipped bytes count as read.
     *
     * @param in the stream to read; closing the returned stream closes it
     * @param limit the most bytes that may be read
     * @param setting the setting that sets the limit, named in the failure
     * @return a stream that reads through to {@code in}
     */
    public static InputStream stream(InputStream in, long limit, String setting) {
        return new Counted(in, limit, setting);
    }

    /**
     * All of {@code in}, at most {@code limit} bytes; more is {@link TooLarge}, with what was read zeroed. Reads at
     * most one byte past the limit, and leaves {@code in} open.
     *
     * @param in the stream to read to its end
     * @param limit the most bytes accepted; one array holds them, so at most about 2 GiB are ever read
     * @param setting the setting that sets the limit, named in the failure
     * @return everything {@code in} held, in an array of its own size
     * @throws TooLarge when {@code in} holds more than {@code limit} bytes
     * @throws IOException when reading {@code in} fails
     */
    public static byte[] readAll(InputStream in, long limit, String setting) throws IOException {
        byte[] content = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        if (content.length > limit) {
            Arrays.fill(content, (byte) 0);
            throw new TooLarge(setting, limit);
        }
        return content;
    }

    private static final class Counted extends FilterInputStream {
        private final long limit;
        private final String setting;
        private long read;

        Counted(InputStream in, long limit, String setting) {
            super(in);
            this.limit = limit;
            this.setting = setting;
        }

        private void count(long n) throws IOException {
            if (n > 0) {
                read += n;
                if (read > limit) {
                    throw new TooLarge(setting, limit);
                }
            }
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            count(n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }
    }

    private static final class HttpBody implements HttpResponse.BodySubscriber<byte[]> {
        private final long limit;
        private final String setting;
        private final long announced;
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private byte[] buffer = new byte[1024];
        private int size;
        private Flow.Subscription subscription;

        HttpBody(long limit, String setting, long announced) {
            this.limit = limit;
            this.setting = setting;
            this.announced = announced;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (announced > limit) {
                subscription.cancel();
                body.completeExceptionally(new TooLarge(setting, limit));
                return;
            }
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (body.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                int n = item.remaining();
                if ((long) size + n > limit) {
                    abandon();
                    return;
                }
                if (size + n > buffer.length) {
                    byte[] bigger =
                            Arrays.copyOf(buffer, (int) Math.min(limit, Math.max((long) buffer.length * 2, size + n)));
                    Arrays.fill(buffer, (byte) 0);
                    buffer = bigger;
                }
                item.get(buffer, size, n);
                size += n;
            }
        }

        private void abandon() {
            subscription.cancel();
            Arrays.fill(buffer, (byte) 0);
            body.completeExceptionally(new TooLarge(setting, limit));
        }

        @Override
        public void onError(Throwable throwable) {
            Arrays.fill(buffer, (byte) 0);
            body.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            if (!body.isDone()) {
                byte[] out = Arrays.copyOf(buffer, size);
                Arrays.fill(buffer, (byte) 0);
                body.complete(out);
            }
        }
    }
}
