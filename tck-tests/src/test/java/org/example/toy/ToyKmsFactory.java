package org.example.toy;

import io.mpsecrets.api.KeyManagementService;
import io.mpsecrets.api.spi.BackendContext;
import io.mpsecrets.api.spi.KeyManagementServiceFactory;

/** {@code toy}: key ids {@code toy:<name>}. */
public final class ToyKmsFactory implements KeyManagementServiceFactory {

    public static final String NAME = "toy";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean supports(String keyId) {
        return keyId.startsWith("toy:");
    }

    @Override
    public KeyManagementService create(BackendContext context) {
        return new ToyKms();
    }

    /** A KMS to make values with (what a third party's own tool would do). */
    public static KeyManagementService kms() {
        return new ToyKms();
    }

    /** How many data keys toy KMSs unwrapped in this JVM. */
    public static int unwraps() {
        return ToyKms.UNWRAPS.get();
    }
}
