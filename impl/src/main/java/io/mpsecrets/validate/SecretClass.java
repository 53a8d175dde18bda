package io.mpsecrets.validate;

/**
 * A class of secrets from the operators' runbook: how often they must be rotated and how strong they must be.
 * Defaults: {@code critical} 90 days, 16 characters, 3 kinds; {@code high} 180 days, 12, 3; {@code service} 365
 * days, 12, 2. Kinds are lower case, upper case, digits and other characters.
 */
public record SecretClass(String name, int rotateDays, int minLength, int minVariety) {

    static SecretClass defaults(String name) {
        switch (name) {
            case "critical":
                return new SecretClass(name, 90, 16, 3);
            case "high":
                return new SecretClass(name, 180, 12, 3);
            default:
                return new SecretClass(name, 365, 12, 2);
        }
    }
}
