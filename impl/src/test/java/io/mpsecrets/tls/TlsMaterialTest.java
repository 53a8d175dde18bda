package io.mpsecrets.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsServer;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.testing.AuditRecorder;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.mpsecrets.testkit.pki.TestPki;
import io.smallrye.config.SmallRyeConfig;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading, checking and swapping one TLS material: the key forms, a Kubernetes mount, refusals. */
class TlsMaterialTest {

    @TempDir
    Path dir;

    private TlsFixture fixture;
    private final AuditRecorder audit = new AuditRecorder();

    @BeforeEach
    void start() {
        fixture = new TlsFixture(dir);
    }

    @AfterEach
    void stop() {
        fixture.close();
        audit.close();
    }

    private SmallRyeConfig config(String... keysAndValues) {
        Map<String, String> values = new HashMap<>(Map.of(
                "mpsecrets.app", "orders",
                "mpsecrets.sources", "file",
                "mpsecrets.file.dir", dir.toString(),
                "mpsecrets.file.ttl", "PT0.01S"));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return fixture.config(values);
    }

    /** The serial a client trusting the test root sees from a server on {@code material}. */
    private BigInteger serialServedBy(TlsMaterial server, TlsMaterial client) throws Exception {
        HttpsServer https = fixture.server(server.sslContext());
        HttpClient http =
                HttpClient.newBuilder().sslContext(client.sslContext()).build();
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(
                                "https://localhost:" + https.getAddress().getPort() + "/"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        https.stop(0);
        return ((X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0]).getSerialNumber();
    }

    private TlsMaterial client(SmallRyeConfig config) {
        TestPki.Issued client = fixture.issue("client");
        fixture.write("client.pem", client.keyPem() + client.certificatePem());
        fixture.write("ca.pem", fixture.pki.rootPem());
        return MpSecretsTls.material(config, "client");
    }

    @Test
    void aKubernetesTlsSecretIsFollowedAcrossItsDataSwap() throws Exception {
        Path mount = Files.createDirectories(dir.resolve("mount"));
        TestPki.Issued first = fixture.issue("server");
        kubeletWrites(mount, "..2026_12_05_01", first);
        SmallRyeConfig config = config(
                "mpsecrets.tls.server.directory", mount.toString(),
                "mpsecrets.tls.client.key", "${file::client.pem}",
                "mpsecrets.tls.client.trust", "${file::ca.pem}");
        TlsMaterial server = MpSecretsTls.material(config, "server");
        TlsMaterial client = client(config);
        assertThat(serialServedBy(server, client)).isEqualTo(first.serial());

        TestPki.Issued second = fixture.issue("server");
        kubeletWrites(mount, "..2026_12_05_02", second);

        assertThat(server.refresh()).isTrue();
        assertThat(serialServedBy(server, client)).isEqualTo(second.serial());
        assertThat(server.state().generation()).isEqualTo(2);
        assertThat(audit.events("rotated"))
                .anySatisfy(line -> assertThat(line)
                        .contains("property=mpsecrets.tls.server")
                        .contains("serial=" + second.serial().toString(16))
                        .contains("previous=\"serial=" + first.serial().toString(16)));
    }

    /**
     * As the kubelet updates a secret volume: the files in a new timestamped directory, {@code ..data} moved to it in
     * one rename, the names a user sees links through {@code ..data}.
     */
    private static void kubeletWrites(Path mount, String version, TestPki.Issued issued) throws Exception {
        Path target = Files.createDirectory(mount.resolve(version));
        Files.writeString(target.resolve("tls.key"), issued.keyPem());
        Files.writeString(target.resolve("tls.crt"), issued.certificatePem());
        Files.writeString(target.resolve("ca.crt"), issued.rootPem());
        Path temp = mount.resolve("..data_tmp");
        Files.deleteIfExists(temp);
        Files.createSymbolicLink(temp, Path.of(version));
        Files.move(temp, mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        for (String name : List.of("tls.key", "tls.crt", "ca.crt")) {
            if (!Files.isSymbolicLink(mount.resolve(name))) {
                Files.createSymbolicLink(mount.resolve(name), Path.of("..data", name));
            }
        }
    }

    @Test
    void aBadNewCertificateIsRefusedAuditedAndTheOneInServiceKept() throws Exception {
        TestPki.Issued good = fixture.issue("server");
        fixture.write("server.pem", good.keyPem() + good.certificatePem());
        SmallRyeConfig config = config(
                "mpsecrets.tls.server.key", dir.resolve("server.pem").toString(),
                "mpsecrets.tls.server.trust", "${file::ca.pem}",
                "mpsecrets.tls.client.key", "${file::client.pem}",
                "mpsecrets.tls.client.trust", "${file::ca.pem}");
        TlsMaterial client = client(config);
        TlsMaterial server = MpSecretsTls.material(config, "server");

        // the key of one certificate with another certificate
        TestPki.Issued other = fixture.issue("server");
        fixture.write("server.pem", good.keyPem() + other.certificatePem());
        assertThat(server.refresh()).isFalse();
        assertThat(server.refresh()).isFalse();
        assertThat(server.state().failure())
                .hasValueSatisfying(f -> assertThat(f)
                        .contains("does not belong to the certificate serial "
                                + other.serial().toString(16)));
        assertThat(serialServedBy(server, client)).isEqualTo(good.serial());
        assertThat(audit.events("failure"))
                .anySatisfy(line -> assertThat(line).contains("property=mpsecrets.tls.server"));
        int failuresAudited = audit.events("failure").size();
        server.refresh(); // the same refused material again: audited once
        assertThat(audit.events("failure")).hasSize(failuresAudited);

        // an expired certificate, and one from another CA
        TestPki.Issued expired = fixture.pki.issue(
                "server",
                List.of("localhost"),
                Instant.now().minus(Duration.ofDays(2)),
                Instant.now().minus(Duration.ofDays(1)),
                TestPki.KeyType.EC);
        fixture.write("server.pem", expired.keyPem() + expired.certificatePem());
        server.refresh();
        server.refresh();
        assertThat(server.state().failure())
                .hasValueSatisfying(f -> assertThat(f).contains("has expired"));
        TestPki.Issued stranger = TestPki.create("stranger")
                .issue("server", List.of("localhost"), Duration.ofHours(1), TestPki.KeyType.EC);
        fixture.write("server.pem", stranger.keyPem() + stranger.certificatePem());
        server.refresh();
        server.refresh();
        assertThat(server.state().failure())
                .hasValueSatisfying(f -> assertThat(f).contains("does not build to the trust material"));
        assertThat(serialServedBy(server, client)).isEqualTo(good.serial());

        // a good one again: in service, the failure cleared
        TestPki.Issued next = fixture.issue("server");
        fixture.write("server.pem", next.keyPem() + next.certificatePem());
        assertThat(server.refresh()).isTrue();
        assertThat(server.state().failure()).isEmpty();
        assertThat(serialServedBy(server, client)).isEqualTo(next.serial());
        LeakGuard.assertNoLeak(audit.lines(), server.toString(), server.state().toString());
        assertThat(String.join("\n", audit.lines())).doesNotContain(body(good.keyPem()));
    }

    @Test
    void aStartWithoutValidMaterialFailsClosedNamingTheMaterial() {
        TestPki.Issued one = fixture.issue("server");
        TestPki.Issued other = fixture.issue("server");
        fixture.write("server.pem", one.keyPem() + other.certificatePem());
        SmallRyeConfig config = config("mpsecrets.tls.orders.key", "${file::server.pem}");
        assertThatThrownBy(() -> MpSecretsTls.material(config, "orders"))
                .isInstanceOf(InvalidSecretValueException.class)
                .hasMessageContaining("TLS material orders cannot be used")
                .hasMessageContaining("mpsecrets.tls.orders")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(body(one.keyPem())));

        SmallRyeConfig missing = config("mpsecrets.tls.payments.key", "${file::no-such.pem}");
        assertThatThrownBy(() -> MpSecretsTls.material(missing, "payments"))
                .isInstanceOf(SecretException.class)
                .hasMessageContaining("mpsecrets.tls.payments");
        SmallRyeConfig nothing = config();
        assertThatThrownBy(() -> MpSecretsTls.material(nothing, "absent"))
                .isInstanceOf(SecretException.class)
                .hasMessageContaining("no mpsecrets.tls.absent.key");
    }

    @Test
    void keysInEveryFormTheIssueNames() throws Exception {
        TestPki.Issued rsa = fixture.pki.issue("rsa", List.of("localhost"), Duration.ofHours(1), TestPki.KeyType.RSA);
        TestPki.Issued ec = fixture.issue("ec");
        TestPki.Issued encrypted = fixture.issue("encrypted");
        TestPki.Issued p12 = fixture.pki.issue("p12", List.of("localhost"), Duration.ofHours(1), TestPki.KeyType.RSA);
        fixture.write("rsa.key", rsa.traditionalKeyPem());
        assertThat(rsa.traditionalKeyPem()).contains("BEGIN RSA PRIVATE KEY");
        fixture.write("rsa.crt", rsa.certificatePem());
        fixture.write("ec.key", ec.traditionalKeyPem());
        assertThat(ec.traditionalKeyPem()).contains("BEGIN EC PRIVATE KEY");
        fixture.write("ec.crt", ec.certificatePem());
        TestPki.Issued bare = fixture.issue("bare");
        fixture.write("bare.key", bare.sec1WithoutCurvePem());
        fixture.write("bare.crt", bare.certificatePem());
        String password = "pw-" + LeakGuard.CANARY;
        fixture.write("encrypted.key", encrypted.encryptedKeyPem(password.toCharArray()));
        fixture.write("encrypted.crt", encrypted.certificatePem());
        fixture.write("key-password", password);
        byte[] store = pkcs12(p12, password.toCharArray());
        Files.write(dir.resolve("p12.p12"), store);
        fixture.write("p12.b64", Base64.getEncoder().encodeToString(store));
        fixture.write("ca.pem", fixture.pki.rootPem());
        SmallRyeConfig config = config(
                "mpsecrets.tls.rsa.key", dir.resolve("rsa.key").toString(),
                "mpsecrets.tls.rsa.certificate", "${file::rsa.crt}",
                "mpsecrets.tls.rsa.trust", "${file::ca.pem}",
                "mpsecrets.tls.ec.key", "${file::ec.key}",
                "mpsecrets.tls.ec.certificate", "${file::ec.crt}",
                "mpsecrets.tls.encrypted.key", "${file::encrypted.key}",
                "mpsecrets.tls.encrypted.certificate", "${file::encrypted.crt}",
                "mpsecrets.tls.encrypted.key-password", "${file::key-password}",
                "mpsecrets.tls.p12.key", dir.resolve("p12.p12").toString(),
                "mpsecrets.tls.p12.key-password", "${file::key-password}",
                "mpsecrets.tls.p12b.key", "${file::p12.b64}",
                "mpsecrets.tls.p12b.key-password", "${file::key-password}",
                "mpsecrets.tls.bare.key", "${file::bare.key}",
                "mpsecrets.tls.bare.certificate", "${file::bare.crt}",
                "mpsecrets.tls.trustonly.trust", "${file::ca.pem}");
        assertThat(MpSecretsTls.material(config, "rsa")
                        .certificate()
                        .orElseThrow()
                        .getSerialNumber())
                .isEqualTo(rsa.serial());
        assertThat(MpSecretsTls.material(config, "ec")
                        .certificate()
                        .orElseThrow()
                        .getSerialNumber())
                .isEqualTo(ec.serial());
        assertThat(MpSecretsTls.material(config, "encrypted")
                        .certificate()
                        .orElseThrow()
                        .getSerialNumber())
                .isEqualTo(encrypted.serial());
        assertThat(MpSecretsTls.material(config, "p12")
                        .certificate()
                        .orElseThrow()
                        .getSerialNumber())
                .isEqualTo(p12.serial());
        assertThat(MpSecretsTls.material(config, "p12b")
                        .certificate()
                        .orElseThrow()
                        .getSerialNumber())
                .isEqualTo(p12.serial());
        assertThat(MpSecretsTls.material(config, "bare")
                        .certificate()
                        .orElseThrow()
                        .getSerialNumber())
                .isEqualTo(bare.serial());
        assertThat(MpSecretsTls.material(config, "trustonly").certificate()).isEmpty();
        // an RSA server and an EC client over mutual TLS
        assertThat(serialServedBy(
                        MpSecretsTls.material(config, "rsa"),
                        client(config(
                                "mpsecrets.tls.client.key",
                                "${file::client.pem}",
                                "mpsecrets.tls.client.trust",
                                "${file::ca.pem}"))))
                .isEqualTo(rsa.serial());

        fixture.write("key-password", "wrong");
        SmallRyeConfig wrong = config(
                "mpsecrets.tls.encrypted.key", "${file::encrypted.key}",
                "mpsecrets.tls.encrypted.certificate", "${file::encrypted.crt}",
                "mpsecrets.tls.encrypted.key-password", "${file::key-password}");
        assertThatThrownBy(() -> MpSecretsTls.material(wrong, "encrypted"))
                .isInstanceOf(InvalidSecretValueException.class)
                .hasMessageContaining("wrong key-password");
        LeakGuard.assertNoLeak(audit.lines());
    }

    private static byte[] pkcs12(TestPki.Issued issued, char[] password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("tls", issued.key(), password, new Certificate[] {issued.certificate(), issued.issuer()});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.store(out, password);
        return out.toByteArray();
    }

    /** A line of a PEM key's base64 body: what must never appear anywhere. */
    private static String body(String pem) {
        return pem.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
    }
}
