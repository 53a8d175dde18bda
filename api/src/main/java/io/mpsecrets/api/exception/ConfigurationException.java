package io.mpsecrets.api.exception;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;

/** An mp-secrets setting (mpsecrets.*), a keyring file or a CLI argument is wrong. */
public class ConfigurationException extends SecretException {

    private static final long serialVersionUID = 1L;

    public ConfigurationException(String detail) {
        super(FailureReason.CONFIGURATION, SecretRef.NONE, detail, null);
    }

    public ConfigurationException(String detail, Throwable cause) {
        super(FailureReason.CONFIGURATION, SecretRef.NONE, detail, cause);
    }

    /** A setting or request the service refused as invalid, for the secret or key {@code ref} names. */
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
