package io.mpsecrets.quarkus.runtime;

import io.quarkus.credentials.CredentialsProvider;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.eclipse.microprofile.config.Config;

/**
 * A Quarkus credentials provider (Agroal's {@code quarkus.datasource.credentials-provider}, and any extension that
 * takes one): {@code user} and {@code password} from the application's {@code mpsecrets.credentials.<name>.user} and
 * {@code .password}, each usually a reference ({@code ${vault::database/creds/orders#username}}). They are read
 * through the application's config on every call, that is on every new physical connection, so mp-secrets' cache,
 * rotation and audit apply as to any other property, and a rotated pair reaches the next connection without a
 * restart. A store's refusal reaches the pool as the typed error the config throws: no login with a stale pair.
 */
@Singleton
@Named(MpSecretsCredentialsProvider.NAME)
public class MpSecretsCredentialsProvider implements CredentialsProvider {

    /** The bean's name, for {@code quarkus.datasource.credentials-provider-name}. */
    public static final String NAME = "mpsecrets";

    /** The properties' prefix: {@code mpsecrets.credentials.<credentials provider>.user} and {@code .password}. */
    public static final String PREFIX = "mpsecrets.credentials.";

    /**
     * Reads of the pair before giving up when the user keeps changing under them: a rotation between the reads of
     * the user and of the password would pair the old user with the new password, so the user is read again after
     * the password, and the pair is read again when it changed. Two rotations in a row within one read are unlikely;
     * a store that changes the user on every read must not make a login loop.
     */
    static final int MAX_READS = 3;

    private static final int MAX_NAME_LENGTH = 200;

    @Inject
    Config config;

    @Override
    public Map<String, String> getCredentials(String credentialsProviderName) {
        String name = checked(credentialsProviderName);
        String userProperty = PREFIX + name + ".user";
        String passwordProperty = PREFIX + name + ".password";
        for (int read = 0; read < MAX_READS; read++) {
            String user = value(userProperty, name);
            String password = value(passwordProperty, name);
            if (user.equals(value(userProperty, name))) {
                return Map.of(USER_PROPERTY_NAME, user, PASSWORD_PROPERTY_NAME, password);
            }
        }
        throw new IllegalStateException("the credentials " + name + " changed user while being read, " + MAX_READS
                + " times in a row (" + userProperty + ")");
    }

    private String value(String property, String name) {
        return config.getOptionalValue(property, String.class)
                .orElseThrow(() -> new NoSuchElementException("mp-secrets has no credentials " + name + ": set "
                        + PREFIX + name + ".user and " + PREFIX + name + ".password"));
    }

    private static String checked(String credentialsProviderName) {
        Objects.requireNonNull(credentialsProviderName, "credentialsProviderName");
        if (credentialsProviderName.isEmpty()
                || credentialsProviderName.length() > MAX_NAME_LENGTH
                || !credentialsProviderName.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("not a credentials provider name mp-secrets takes: letters, digits, "
                    + "'.', '_' and '-', up to " + MAX_NAME_LENGTH + " characters");
        }
        return credentialsProviderName;
    }
}
