package io.mpsecrets.aws;

import io.mpsecrets.api.backend.BoundedReads;
import java.io.InputStream;
import java.util.Optional;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Bounds every answer an AWS client reads: a body longer than the limit fails the call with
 * {@link BoundedReads.TooLarge} (mapped to {@code INVALID_VALUE} by {@link AwsFailures}) instead of being read whole,
 * whatever the endpoint sends.
 */
final class BoundedResponses implements ExecutionInterceptor {

    private final long limit;
    private final String setting;

    BoundedResponses(long limit, String setting) {
        this.limit = limit;
        this.setting = setting;
    }

    @Override
    public Optional<InputStream> modifyHttpResponseContent(
            Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        return context.responseBody().map(body -> BoundedReads.stream(body, limit, setting));
    }
}
