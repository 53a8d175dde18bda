/**
 * {@code mpsecrets scan}: finds plaintext secrets in the configuration files an application ships, and the
 * application's own secret values in logs or any text, in a tree and in a git repository's history. Findings name a
 * file, a line, a rule and a key or property, never a value. Internal: not API; may change in any release.
 */
package io.mpsecrets.cli.scan;
