package io.mpsecrets.aws;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Bounds every answer an AWS client reads: a body longer than the limit fails the call with {@link TooLarge} (mapped
 * to {@code INVALID_VALUE} by {@link AwsFailures}) instead of being read whole, whatever the endpoint sends.
 */
final class BoundedResponses implements ExecutionInterceptor {

    /** The answer was longer than the limit; the message is ours and names the setting. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(String message) {
            super(message, null);
        }
    }

    private final long limit;
    private final String setting;

    BoundedResponses(long limit, String setting) {
        this.limit = limit;
        this.setting = setting;
    }

    @Override
    public Optional<InputStream> modifyHttpResponseContent(
            Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        return context.responseBody().map(body -> new Bounded(body));
    }

    private final class Bounded extends FilterInputStream {
        private long read;

        Bounded(InputStream in) {
            super(in);
        }

        private void count(long n) throws IOException {
            if (n > 0) {
                read += n;
                if (read > limit) {
                    throw new TooLarge("the service's answer is larger than " + setting + " ("
                            + io.mpsecrets.support.Sizes.format(limit) + ")");
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
}
