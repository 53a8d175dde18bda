package io.mpsecrets.cli.scan;

/** What a finding says was found; the id is what the text and SARIF outputs show. */
public enum ScanRule {
    PLAINTEXT_SECRET(
            "plaintext-secret",
            true,
            "a secret-named setting holds a plaintext value (not ENC(...), not a"
                    + " store reference or an expression)"),
    HIGH_ENTROPY("high-entropy", false, "a value random enough to be a key or token"),
    CREDENTIALS_IN_URL("credentials-in-url", true, "a URL with a password in it"),
    PRIVATE_KEY("private-key", true, "a PEM private key"),
    AWS_ACCESS_KEY("aws-access-key", true, "an AWS access key id"),
    KUBERNETES_SECRET("kubernetes-secret", true, "a value in a Kubernetes Secret manifest (base64 is not encryption)"),
    OBFUSCATED_PASSWORD("obfuscated-password", true, "a password encoded, not encrypted (Liberty's {xor})"),
    EXPOSED_VALUE("exposed-value", true, "the application's own secret value, as it is or encoded");

    private final String id;
    private final boolean error;
    private final String description;

    ScanRule(String id, boolean error, String description) {
        this.id = id;
        this.error = error;
        this.description = description;
    }

    public String id() {
        return id;
    }

    /** An error, or a warning (a rule that can be wrong: high entropy). */
    public boolean error() {
        return error;
    }

    public String description() {
        return description;
    }
}
