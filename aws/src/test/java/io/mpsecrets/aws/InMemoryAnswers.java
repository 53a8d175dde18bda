package io.mpsecrets.aws;

import java.io.ByteArrayInputStream;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpResponse;

/** An AWS JSON answer handed to the SDK without a network, for the fuzz targets' in-memory HTTP clients. */
final class InMemoryAnswers {

    private InMemoryAnswers() {}

    static ExecutableHttpRequest answer(int status, byte[] body) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() {
                return HttpExecuteResponse.builder()
                        .response(SdkHttpResponse.builder()
                                .statusCode(status)
                                .putHeader("Content-Type", "application/x-amz-json-1.1")
                                .putHeader("x-amzn-RequestId", "fuzz-1")
                                .build())
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body)))
                        .build();
            }

            @Override
            public void abort() {}
        };
    }
}
