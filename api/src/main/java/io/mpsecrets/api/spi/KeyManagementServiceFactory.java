package io.mpsecrets.api.spi;

import io.mpsecrets.api.KeyManagementService;

/**
 * Makes a {@link KeyManagementService} of one kind, found by {@link java.util.ServiceLoader} and used only when
 * {@code mpsecrets.kms} names it: a factory on the class path that no setting names is never asked for a key.
 * Implementations are registered in {@code META-INF/services/io.mpsecrets.api.spi.KeyManagementServiceFactory},
 * have a public no-argument constructor, and keep no state of their own.
 */
public interface KeyManagementServiceFactory {

    /**
     * The name {@code mpsecrets.kms} and the CLI's {@code --kms} use, e.g. {@code local} or {@code aws}.
     *
     * @return the name, whose settings are under {@code mpsecrets.kms.<name>.}; two KMS factories with one name are
     *         refused when configuration uses it
     */
    String name();

    /**
     * Whether key ids of this form belong to this KMS (e.g. {@code local:dev-2}, {@code arn:aws:kms:...}). Asked
     * without creating the KMS, to route a value to the one KMS that can unwrap its data key; must not throw.
     *
     * @param keyId a key id as an {@code ENC(...)} value records it
     * @return whether this KMS owns ids of this form; when two enabled KMSs claim one id, that is a configuration
     *         error
     */
    boolean supports(String keyId);

    /**
     * Builds the KMS from its settings. Opens no connection it does not need yet.
     *
     * @param context its name, settings, environment and the application's name
     * @return a new KMS, which the runtime closes when the application stops
     * @throws io.mpsecrets.api.exception.ConfigurationException when a setting is missing or wrong, naming it
     */
    KeyManagementService create(BackendContext context);

    /**
     * The settings this backend reads, relative to its prefix ({@code address}, {@code kubernetes.role};
     * {@code *} stands for one name, as in {@code endpoint.*}), so that a mistyped one is reported when the
     * application starts, with the nearest known name. The default, {@link io.mpsecrets.api.backend.CommonSettings#ANY}
     * alone, declares nothing: every name under the prefix is taken as the backend's.
     *
     * @return names relative to {@link BackendContext#prefix()}, with {@code *} for one name
     */
    default java.util.Set<String> settingNames() {
        return java.util.Set.of(io.mpsecrets.api.backend.CommonSettings.ANY);
    }
}
