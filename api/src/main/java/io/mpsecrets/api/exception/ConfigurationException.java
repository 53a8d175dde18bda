package io.mpsecrets.api.exception;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;

/** An mp-secrets setting (mpsecrets.*), a keyring file or a CLI argument is wrong. */
public class ConfigurationException extends SecretException {

    private static final long serialVersionUID = 1L;

    /**
     * A configuration error about no secret or key in particular.
     *
     * @param detail which setting is wrong and how, naming the setting and never quoting its value
     */
    public ConfigurationException(String detail) {
        super(FailureReason.CONFIGURATION, SecretRef.NONE, detail, null);
    }

    /**
     * A configuration error about no secret or key in particular, with the failure that revealed it.
     *
     * @param detail which setting is wrong and how, naming the setting and never quoting its value
     * @param cause the underlying failure, or null; its message and its causes' must hold no value either
     */
    public ConfigurationException(String detail, Throwable cause) {
        super(FailureReason.CONFIGURATION, SecretRef.NONE, detail, cause);
    }

    /**
     * A setting or request the service refused as invalid, for the secret or key {@code ref} names.
     *
     * @param ref what failed: property, backend, secret id, key id and version, as far as the thrower knows them
     * @param detail the library's own words on what went wrong, or null; never a value or a ciphertext
     * @param cause the underlying failure, or null; its message and its causes' must hold no value either
     */
    public ConfigurationException(SecretRef ref, String detail, Throwable cause) {
        super(FailureReason.CONFIGURATION, ref, detail, cause);
    }

    private ConfigurationException(FailureReason reason, SecretRef ref, String detail, Throwable cause) {
        super(reason, ref, detail, cause);
    }

    @Override
    protected ConfigurationException copy(SecretRef newRef) {
        return new ConfigurationException(reason(), newRef, detail(), getCause());
    }
}
