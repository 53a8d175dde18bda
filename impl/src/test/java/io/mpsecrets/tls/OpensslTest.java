package io.mpsecrets.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpsServer;
import io.mpsecrets.testkit.pki.TestPki;
import io.smallrye.config.SmallRyeConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checked from outside with OpenSSL, when the tool is on the machine (skipped with a message otherwise): keys
 * OpenSSL itself wrote load, and {@code openssl s_client} sees the new serial after a rotation.
 */
class OpensslTest {

    @TempDir
    Path dir;

    private TlsFixture fixture;

    @BeforeEach
    void start() {
        assumeTrue(openssl("version").exitCode == 0, "openssl is not on this machine: the OpenSSL checks are skipped");
        fixture = new TlsFixture(dir);
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private record Result(int exitCode, String output) {}

    private static Result openssl(String... arguments) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(
                    process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }

    private static void ok(String... arguments) {
        Result result = openssl(arguments);
        assertThat(result.exitCode).as(result.output).isZero();
    }

    @Test
    void keysOpensslWroteLoad() {
        String d = dir.toString();
        ok("genrsa", "-traditional", "-out", d + "/rsa.key", "2048");
        ok("req", "-x509", "-new", "-key", d + "/rsa.key", "-subj", "/CN=rsa", "-days", "1", "-out", d + "/rsa.crt");
        ok("ecparam", "-name", "prime256v1", "-genkey", "-out", d + "/ec.key");
        ok("req", "-x509", "-new", "-key", d + "/ec.key", "-subj", "/CN=ec", "-days", "1", "-out", d + "/ec.crt");
        ok(
                "pkcs8",
                "-topk8",
                "-v2",
                "aes-256-cbc",
                "-in",
                d + "/ec.key",
                "-passout",
                "pass:orders-pw",
                "-out",
                d + "/enc.key");
        ok(
                "pkcs12",
                "-export",
                "-inkey",
                d + "/rsa.key",
                "-in",
                d + "/rsa.crt",
                "-passout",
                "pass:orders-pw",
                "-out",
                d + "/rsa.p12");
        SmallRyeConfig config = fixture.config(Map.of(
                "mpsecrets.tls.rsa.key", d + "/rsa.key",
                "mpsecrets.tls.rsa.certificate", d + "/rsa.crt",
                "mpsecrets.tls.ec.key", d + "/ec.key",
                "mpsecrets.tls.ec.certificate", d + "/ec.crt",
                "mpsecrets.tls.enc.key", d + "/enc.key",
                "mpsecrets.tls.enc.certificate", d + "/ec.crt",
                "mpsecrets.tls.enc.key-password", "orders-pw",
                "mpsecrets.tls.p12.key", d + "/rsa.p12",
                "mpsecrets.tls.p12.key-password", "orders-pw"));
        for (String name : List.of("rsa", "ec", "enc", "p12")) {
            assertThat(MpSecretsTls.material(config, name).certificate())
                    .as(name)
                    .isPresent();
        }
    }

    @Test
    void sClientSeesTheNewSerialAfterARotation() throws Exception {
        TestPki.Issued first = fixture.issue("server");
        TestPki.Issued client = fixture.issue("client");
        fixture.write("server.pem", first.keyPem() + first.certificatePem());
        fixture.write("ca.pem", fixture.pki.rootPem());
        fixture.write("client.key", client.keyPem());
        fixture.write("client.crt", client.certificatePem());
        SmallRyeConfig config = fixture.config(Map.of(
                "mpsecrets.tls.server.key", dir.resolve("server.pem").toString(),
                "mpsecrets.tls.server.trust", dir.resolve("ca.pem").toString()));
        TlsMaterial server = MpSecretsTls.material(config, "server");
        HttpsServer https = fixture.server(server.sslContext());
        assertThat(serialSeenByOpenssl(https.getAddress().getPort()))
                .isEqualToIgnoringCase(first.serial().toString(16));

        TestPki.Issued second = fixture.issue("server");
        fixture.write("server.pem", second.keyPem() + second.certificatePem());
        assertThat(server.refresh()).isTrue();
        assertThat(serialSeenByOpenssl(https.getAddress().getPort()))
                .isEqualToIgnoringCase(second.serial().toString(16));
    }

    /** The serial of the certificate the server presents, as {@code openssl x509 -serial} prints it. */
    private String serialSeenByOpenssl(int port) throws IOException {
        Result shown = openssl(
                "s_client",
                "-connect",
                "127.0.0.1:" + port,
                "-servername",
                "localhost",
                "-CAfile",
                dir.resolve("ca.pem").toString(),
                "-cert",
                dir.resolve("client.crt").toString(),
                "-key",
                dir.resolve("client.key").toString(),
                "-verify_return_error",
                "-brief");
        assertThat(shown.output).contains("Verification: OK");
        Result full = openssl(
                "s_client",
                "-connect",
                "127.0.0.1:" + port,
                "-servername",
                "localhost",
                "-CAfile",
                dir.resolve("ca.pem").toString(),
                "-cert",
                dir.resolve("client.crt").toString(),
                "-key",
                dir.resolve("client.key").toString());
        Path pem = dir.resolve("presented.pem");
        String text = full.output;
        int begin = text.indexOf("-----BEGIN CERTIFICATE-----");
        int end = text.indexOf("-----END CERTIFICATE-----");
        assertThat(begin).as(text).isNotNegative();
        Files.writeString(pem, text.substring(begin, end + "-----END CERTIFICATE-----".length()) + "\n");
        Result serial = openssl("x509", "-in", pem.toString(), "-noout", "-serial");
        assertThat(serial.exitCode).as(serial.output).isZero();
        // serial=0A1B... : leading zeros aside, as BigInteger prints it
        return serial.output.strip().substring("serial=".length()).replaceFirst("^0+", "");
    }
}
