package io.mpsecrets.config;

import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.aws.AwsClientSettings;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * mp-secrets' own settings, all under {@code mpsecrets.}, read from the application's config sources (any of
 * them: properties file, environment as {@code MPSECRETS_KMS_LOCAL_KEYRING}, system properties). docs/configuration.md
 * lists them.
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
 */
public record MpSecretsSettings(String application, Set<String> kms, Path localKeyring, boolean cachePlaintext,
        int dataKeyCacheSize, AwsClientSettings awsKms, Optional<String> awsKeyId) {

    public static final String PREFIX = "mpsecrets.";
    public static final String APP = "mpsecrets.app";
    public static final String KMS = "mpsecrets.kms";
    public static final String LOCAL_KEYRING = "mpsecrets.kms.local.keyring";
    public static final String CACHE_PLAINTEXT = "mpsecrets.cache.plaintext";
    public static final String CACHE_DATA_KEYS = "mpsecrets.cache.data-keys";
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
        String application = lookup.apply(APP).map(String::trim).filter(s -> !s.isEmpty()).orElse(DEFAULT_APPLICATION);
        Set<String> kms = new LinkedHashSet<>();
        for (String name : lookup.apply(KMS).orElse("local").split(",")) {
            String trimmed = name.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (!KNOWN_KMS.contains(trimmed)) {
                throw new ConfigurationException(KMS + " names an unknown key management service '" + trimmed + "'; known: "
                        + Arrays.toString(KNOWN_KMS.stream().sorted().toArray()));
            }
            kms.add(trimmed);
        }
        if (kms.isEmpty()) {
            throw new ConfigurationException(KMS + " is empty");
        }
        Path keyring = lookup.apply(LOCAL_KEYRING).map(String::trim).filter(s -> !s.isEmpty()).map(MpSecretsSettings::path)
                .orElseGet(MpSecretsSettings::defaultKeyring);
        boolean cachePlaintext = bool(lookup, CACHE_PLAINTEXT, true);
        int dataKeys = positiveInt(lookup, CACHE_DATA_KEYS, 1000);
        AwsClientSettings aws = AwsClientSettings.read(AWS_KMS_PREFIX, lookup);
        Optional<String> awsKeyId = lookup.apply(AWS_KEY_ID).map(String::trim).filter(s -> !s.isEmpty());
        return new MpSecretsSettings(application, Set.copyOf(kms), keyring, cachePlaintext, dataKeys, aws, awsKeyId);
    }

    private static Path path(String text) {
        if (text.equals("~") || text.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + text.substring(1));
        }
        return Path.of(text);
    }

    static boolean bool(Function<String, Optional<String>> lookup, String name, boolean defaultValue) {
        Optional<String> value = lookup.apply(name).map(String::trim);
        if (value.isEmpty()) {
            return defaultValue;
        }
        switch (value.get().toLowerCase(java.util.Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new ConfigurationException(name + " must be true or false");
        }
    }

    static int positiveInt(Function<String, Optional<String>> lookup, String name, int defaultValue) {
        Optional<String> value = lookup.apply(name).map(String::trim);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigurationException(name + " must be a positive integer");
    }
}
