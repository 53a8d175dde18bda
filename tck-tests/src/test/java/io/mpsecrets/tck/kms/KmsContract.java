package io.mpsecrets.tck.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.DataKey;
import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.GeneratedDataKey;
import io.mpsecrets.api.KeyManagementService;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.spi.KeyManagementServiceFactory;
import io.mpsecrets.backend.BackendSettings;
import io.mpsecrets.backend.Backends;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link KeyManagementService} must do, whatever holds the keys: make AES-256 data keys that unwrap under
 * the same encryption context and only under it, refuse a tampered wrapped key and an unknown key with typed errors
 * naming the key, and never show a data key in a message or {@code toString()}. Its factory claims its own key ids
 * and no other factory on the class path claims them. The KMS is built as the runtime builds it: found by name among
 * the backends on the class path, from its settings.
 */
abstract class KmsContract {

    private final List<KeyManagementService> opened = new ArrayList<>();
    private final List<String> said = new ArrayList<>();

    /** The KMS under test, as {@code mpsecrets.kms} names it. */
    protected abstract String kms();

    /** Its settings ({@code mpsecrets.kms.<name>.*}, and whatever else it reads). */
    protected abstract Map<String, String> settings();

    /** A key of this KMS that exists, for new data keys. */
    protected abstract String keyId();

    /** A key id of this KMS's form that names no key. */
    protected abstract String absentKeyId();

    protected Map<String, String> environment() {
        return Map.of();
    }

    private KeyManagementServiceFactory factory() {
        return Backends.discover(getClass().getClassLoader()).kms(kms(), "the contract test");
    }

    private KeyManagementService open() {
        Map<String, String> settings = settings();
        KeyManagementService service = factory()
                .create(BackendSettings.kms(
                        kms(), name -> Optional.ofNullable(settings.get(name)), environment(), "contract"));
        opened.add(service);
        return service;
    }

    @AfterEach
    void close() {
        opened.forEach(KeyManagementService::close);
    }

    private static EncryptionContext app(String name) {
        return EncryptionContext.forApplication(name);
    }

    private SecretException refused(
            Class<? extends SecretException> type, org.junit.jupiter.api.function.Executable call) {
        SecretException e = assertThrows(type, call);
        said.add(e.getMessage());
        said.add(String.valueOf(e));
        return e;
    }

    @Test
    void theFactoryClaimsItsKeyIdsAndNoOtherFactoryDoes() {
        assertThat(factory().supports(keyId())).isTrue();
        assertThat(Backends.discover(getClass().getClassLoader()).kmsSupporting(keyId()))
                .extracting(KeyManagementServiceFactory::name)
                .containsExactly(kms());
        assertEquals(kms(), open().name());
    }

    @Test
    void aDataKeyUnwrapsUnderItsContextAndOnlyUnderIt() {
        KeyManagementService service = open();
        GeneratedDataKey generated = service.generateDataKey(keyId(), app("orders"));
        GeneratedDataKey another = service.generateDataKey(keyId(), app("orders"));
        byte[] plain = generated.dataKey().secretKey().getEncoded();
        assertEquals(DataKey.LENGTH, plain.length);
        assertFalse(java.util.Arrays.equals(plain, another.dataKey().secretKey().getEncoded()));

        DataKey unwrapped = open().decrypt(generated.keyId(), generated.wrappedKey(), app("orders"));
        assertArrayEquals(plain, unwrapped.secretKey().getEncoded());

        SecretException otherApp = refused(
                SecretException.class,
                () -> service.decrypt(generated.keyId(), generated.wrappedKey(), app("billing")));
        assertThat(otherApp.reason()).isIn(FailureReason.WRONG_KEY, FailureReason.ACCESS_DENIED);

        byte[] tampered = generated.wrappedKey().clone();
        tampered[tampered.length / 2] ^= 0x01;
        SecretException broken =
                refused(SecretException.class, () -> service.decrypt(generated.keyId(), tampered, app("orders")));
        assertEquals(FailureReason.WRONG_KEY, broken.reason());

        for (String text : said) {
            assertThat(text)
                    .doesNotContain(Base64.getEncoder().encodeToString(plain))
                    .doesNotContain(HexFormat.of().formatHex(plain));
        }
        assertThat(generated.toString() + unwrapped + generated.dataKey())
                .doesNotContain(Base64.getEncoder().encodeToString(plain));
    }

    @Test
    void anUnknownKeyIsRefusedNamingIt() {
        SecretException e = refused(SecretException.class, () -> open().generateDataKey(absentKeyId(), app("orders")));
        assertThat(e.reason()).isIn(FailureReason.UNKNOWN_KEY, FailureReason.ACCESS_DENIED);
        assertThat(e.getMessage()).contains(absentKeyId());
    }
}
