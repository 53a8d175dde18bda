package io.mpsecrets.config;

import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.aws.AwsClientSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * mp-secrets' own settings, all under {@code mpsecrets.}, read from the application's config sources (any of
 * them: properties file, environment as {@code MPSECRETS_KMS_LOCAL_KEYRING}, system properties).
 * docs/configuration.md lists them. Store settings ({@code mpsecrets.<store>.*}) are read when a store is first used.
 *
 * @param application the worker's application name, sent to the KMS as encryption context {@code mpsecrets:app}
 * @param kms the key management services values may use; a value whose key id belongs to another is refused
 * @param localKeyring the local keyring file
 * @param cachePlaintext whether decrypted values are kept (until shutdown) instead of decrypted on each read
 * @param dataKeyCacheSize how many unwrapped data keys are kept
 * @param awsKms how to reach AWS KMS ({@code mpsecrets.kms.aws.region}, {@code endpoint}, {@code profile},
 *        {@code timeout}, {@code max-attempts})
 * @param awsKeyId the AWS KMS key new data keys are made under ({@code mpsecrets.kms.aws.key-id}); values name
 *        their own key ARN, so reading needs none
 * @param rotationInterval how often store secrets are checked for a new version; empty: not watched (they still
 *        refresh at their TTL)
 * @param auditEveryAccess whether every read, cache hits included, is an audit event (otherwise hits are counted)
 * @param auditRequired whether an access is refused when no audit sink records its event (fail closed)
 */
public record MpSecretsSettings(String application, Set<String> kms, Path localKeyring, boolean cachePlaintext,
        int dataKeyCacheSize, AwsClientSettings awsKms, Optional<String> awsKeyId, Optional<Duration> rotationInterval,
        boolean auditEveryAccess, boolean auditRequired) {

    public static final String PREFIX = "mpsecrets.";
    public static final String APP = "mpsecrets.app";
    public static final String KMS = "mpsecrets.kms";
    public static final String LOCAL_KEYRING = "mpsecrets.kms.local.keyring";
    public static final String AWS_KMS_PREFIX = "mpsecrets.kms.aws.";
    public static final String AWS_KEY_ID = "mpsecrets.kms.aws.key-id";

    public static final String DEFAULT_APPLICATION = "default";
    public static final Set<String> KNOWN_KMS = Set.of("local", "aws");

    /** {@code ~/.mpsecrets/keyring.json}: where {@code mpsecrets keygen} puts a keyring by default. */
    public static Path defaultKeyring() {
        return Path.of(System.getProperty("user.home"), ".mpsecrets", "keyring.json");
    }

    /** Reads settings through {@code lookup} (name to raw value, empty when unset). */
    public static MpSecretsSettings read(Function<String, Optional<String>> lookup) {
        Settings settings = new Settings(lookup);
        Set<String> kms = new LinkedHashSet<>(settings.list(KMS));
        if (kms.isEmpty()) {
            kms.add("local");
        }
        for (String name : kms) {
            if (!KNOWN_KMS.contains(name)) {
                throw new ConfigurationException(KMS + " names an unknown key management service '" + name + "'; known: aws, local");
            }
        }
        return new MpSecretsSettings(
                settings.string(APP).orElse(DEFAULT_APPLICATION),
                Set.copyOf(kms),
                settings.string(LOCAL_KEYRING).map(MpSecretsSettings::path).orElseGet(MpSecretsSettings::defaultKeyring),
                settings.bool("mpsecrets.cache.plaintext", true),
                settings.positiveInt("mpsecrets.cache.data-keys", 1000),
                AwsClientSettings.read(AWS_KMS_PREFIX, lookup),
                settings.string(AWS_KEY_ID),
                settings.string("mpsecrets.rotation.interval").map(text -> settings.duration("mpsecrets.rotation.interval", null)),
                settings.bool("mpsecrets.audit.every-access", false),
                settings.bool("mpsecrets.audit.required", false));
    }

    private static Path path(String text) {
        if (text.equals("~") || text.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + text.substring(1));
        }
        return Path.of(text);
    }
}
