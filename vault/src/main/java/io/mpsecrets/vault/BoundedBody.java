package io.mpsecrets.vault;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read into memory up to a limit: a body that announces or reaches more is abandoned (the
 * subscription cancelled, what was read zeroed) and the exchange fails with {@link TooLarge}, so a hostile or broken
 * server cannot make the reader hold hundreds of megabytes.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {

    /** The body was larger than the limit. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super("response larger than the limit", null);
        }
    }

    private final long limit;
    private final long announced;
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private byte[] buffer = new byte[1024];
    private int size;
    private Flow.Subscription subscription;

    private BoundedBody(long limit, long announced) {
        this.limit = limit;
        this.announced = announced;
    }

    static HttpResponse.BodyHandler<byte[]> handler(long limit) {
        return info -> new BoundedBody(
                limit, info.headers().firstValueAsLong("Content-Length").orElse(-1));
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
            body.completeExceptionally(new TooLarge());
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
        body.completeExceptionally(new TooLarge());
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
