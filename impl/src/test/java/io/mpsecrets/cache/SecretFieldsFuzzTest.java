package io.mpsecrets.cache;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.exception.InvalidSecretValueException;

/** Fuzz target for a stored secret's value: any bytes are text, fields, or a typed refusal; nothing else. */
class SecretFieldsFuzzTest {

    @FuzzTest(maxDuration = "")
    void secretValue(byte[] bytes) {
        SecretValue value = SecretValue.of(bytes, "v1", null);
        SecretFields.fields(value);
        try {
            SecretFields.text(value, SecretRef.secret("fuzz", "x"));
        } catch (InvalidSecretValueException expected) {
            // binary, not UTF-8
        }
    }
}
