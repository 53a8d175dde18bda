package io.mpsecrets.testkit.ssm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.testkit.Clients;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.mpsecrets.testkit.mock.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParameterResponse;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathResponse;
import software.amazon.awssdk.services.ssm.model.GetParametersResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterAlreadyExistsException;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.ParameterVersionNotFoundException;
import software.amazon.awssdk.services.ssm.model.SsmException;

/** The mock Parameter Store, driven by the real AWS SDK v2 {@code SsmClient}. */
@WithMockServer
class MockSsmTest {

    private final MockServer server;
    private final SsmClient client;
    private final String root = "/t" + System.nanoTime();

    MockSsmTest(MockServer server) {
        this.server = server;
        this.client = Clients.ssm(server, "AKIDWORKER1");
    }

    @AfterEach
    void reset() {
        server.ssm().faults().reset();
        server.ssm().counter().reset();
        client.close();
    }

    @Test
    void versionsOverwriteAndSecureStrings() {
        String name = root + "/db/password";
        var first = client.putParameter(
                b -> b.name(name).value("one-" + LeakGuard.CANARY).type(ParameterType.SECURE_STRING));
        assertEquals(1L, first.version());
        assertThrows(
                ParameterAlreadyExistsException.class,
                () -> client.putParameter(b -> b.name(name).value("x").type(ParameterType.SECURE_STRING)));
        var second = client.putParameter(b -> b.name(name)
                .value("two-" + LeakGuard.CANARY)
                .type(ParameterType.SECURE_STRING)
                .overwrite(true));
        assertEquals(2L, second.version());

        GetParameterResponse latest = client.getParameter(b -> b.name(name).withDecryption(true));
        assertEquals("two-" + LeakGuard.CANARY, latest.parameter().value());
        assertEquals(2L, latest.parameter().version());
        assertEquals(ParameterType.SECURE_STRING, latest.parameter().type());
        assertThat(latest.parameter().arn()).isEqualTo("arn:aws:ssm:us-east-1:111122223333:parameter" + name);
        assertThat(latest.parameter().lastModifiedDate()).isNotNull();
        assertThat(client.getParameter(b -> b.name(name)).parameter().value())
                .as("a SecureString without decryption")
                .doesNotContain(LeakGuard.CANARY);
        Parameter pinned = client.getParameter(b -> b.name(name + ":1").withDecryption(true))
                .parameter();
        assertEquals("one-" + LeakGuard.CANARY, pinned.value());
        assertEquals(":1", pinned.selector());
        assertThrows(ParameterVersionNotFoundException.class, () -> client.getParameter(b -> b.name(name + ":9")));
        assertThrows(ParameterNotFoundException.class, () -> client.getParameter(b -> b.name(root + "/none")));
    }

    @Test
    void labelsMoveToTheVersionTheyArePutOn() {
        String name = root + "/api/key";
        server.ssm().putParameter(name, "k1", false);
        server.ssm().putParameter(name, "k2", false);
        var labelled = client.labelParameterVersion(
                b -> b.name(name).parameterVersion(1L).labels("blue"));
        assertEquals(1L, labelled.parameterVersion());
        assertEquals(
                "k1",
                client.getParameter(b -> b.name(name + ":blue")).parameter().value());
        client.labelParameterVersion(b -> b.name(name).parameterVersion(2L).labels("blue"));
        assertEquals(
                "k2",
                client.getParameter(b -> b.name(name + ":blue")).parameter().value());
        assertThrows(
                ParameterVersionNotFoundException.class,
                () -> client.labelParameterVersion(
                        b -> b.name(name).parameterVersion(7L).labels("green")));
    }

    @Test
    void getParametersTakesTenNamesAndReportsTheMissingOnes() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            String name = root + "/batch/p" + i;
            server.ssm().putParameter(name, "v" + i, i % 2 == 0);
            names.add(name);
        }
        names.add(root + "/batch/absent");
        GetParametersResponse answer = client.getParameters(b -> b.names(names).withDecryption(true));
        assertThat(answer.parameters()).hasSize(9);
        assertThat(answer.parameters().get(4).value()).isEqualTo("v4");
        assertThat(answer.invalidParameters()).containsExactly(root + "/batch/absent");
        List<String> eleven = new ArrayList<>(names);
        eleven.add(root + "/batch/p0:1");
        SsmException tooMany = assertThrows(SsmException.class, () -> client.getParameters(b -> b.names(eleven)));
        assertEquals("ValidationException", tooMany.awsErrorDetails().errorCode());
    }

    @Test
    void byPathRecursiveAndPaginated() {
        IntStream.range(0, 23).forEach(i -> server.ssm().putParameter(root + "/app/p" + i, "v" + i, false));
        server.ssm().putParameter(root + "/app/nested/deep", "d", true);
        server.ssm().putParameter(root + "/other", "o", false);

        List<String> all = new ArrayList<>();
        int pages = 0;
        String token = null;
        do {
            String next = token;
            GetParametersByPathResponse page = client.getParametersByPath(b ->
                    b.path(root + "/app").recursive(true).withDecryption(true).nextToken(next));
            page.parameters().forEach(p -> all.add(p.name()));
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertThat(all).hasSize(24).contains(root + "/app/nested/deep").doesNotContain(root + "/other");
        assertEquals(3, pages);
        assertThat(client
                        .getParametersByPathPaginator(b -> b.path(root + "/app").recursive(false))
                        .stream()
                        .mapToLong(page -> page.parameters().size())
                        .sum())
                .as("one level only")
                .isEqualTo(23);
    }

    @Test
    void describeParametersGivesVersionsWithoutValues() {
        String name = root + "/described";
        server.ssm().putParameter(name, "a-" + LeakGuard.CANARY, true);
        server.ssm().putParameter(name, "b-" + LeakGuard.CANARY, true);
        var described = client.describeParameters(
                b -> b.parameterFilters(f -> f.key("Name").option("Equals").values(name)));
        assertThat(described.parameters()).singleElement().satisfies(p -> {
            assertEquals(name, p.name());
            assertEquals(2L, p.version());
            assertEquals(ParameterType.SECURE_STRING, p.type());
            assertEquals("alias/aws/ssm", p.keyId());
        });
        assertThat(described.toString()).doesNotContain(LeakGuard.CANARY);
    }

    @Test
    void describeParametersTakesUpToFiftyNamesAFilterAndPagesFiftyAtMost() {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String name = root + "/many/p" + i;
            server.ssm().putParameter(name, "v" + i, false);
            names.add(name);
        }
        var described = client.describeParameters(b -> b.maxResults(50)
                .parameterFilters(f -> f.key("Name").option("Equals").values(names)));
        assertThat(described.parameters()).hasSize(50).allSatisfy(p -> assertEquals(1L, p.version()));
        java.util.List<String> tooMany = new java.util.ArrayList<>(names);
        tooMany.add(root + "/many/p50");
        SsmException refused = assertThrows(
                SsmException.class,
                () -> client.describeParameters(b ->
                        b.parameterFilters(f -> f.key("Name").option("Equals").values(tooMany))));
        assertEquals("ValidationException", refused.awsErrorDetails().errorCode());
    }

    @Test
    void policiesThrottlingAndFailures() {
        String name = root + "/locked/key";
        server.ssm().putParameter(name, "secret-" + LeakGuard.CANARY, true);
        server.ssm().policy(root + "/locked/", Policy.of(Policy.allow("AKIDWORKER2", "GetParameter")));
        SsmException denied = assertThrows(SsmException.class, () -> client.getParameter(b -> b.name(name)));
        assertEquals("AccessDeniedException", denied.awsErrorDetails().errorCode());
        try (SsmClient worker2 = Clients.ssm(server, "AKIDWORKER2")) {
            assertThat(worker2.getParameter(b -> b.name(name).withDecryption(true))
                            .parameter()
                            .value())
                    .endsWith(LeakGuard.CANARY);
        }
        server.ssm().faults().throttleNext(1);
        SsmException throttled = assertThrows(SsmException.class, () -> client.getParameter(b -> b.name(root + "/x")));
        assertThat(throttled.isThrottlingException()).isTrue();
        assertEquals(3, server.ssm().calls("GetParameter"), "denied, allowed, throttled: each counted");
    }
}
