package io.mpsecrets.cli.scan;

/**
 * A setting as a configuration file holds it: its key (a dotted path for YAML, the attribute or element name for
 * XML, the variable for .env), its value and its line.
 *
 * @param kubernetesSecret whether it is the data of a Kubernetes {@code Secret} manifest
 */
record ConfigEntry(String key, String value, int line, boolean kubernetesSecret) {

    @Override
    public String toString() {
        return "ConfigEntry[" + key + " at line " + line + "]"; // never the value
    }
}
