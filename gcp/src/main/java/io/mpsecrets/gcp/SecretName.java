package io.mpsecrets.gcp;

import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.exception.SecretNotFoundException;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Secret Manager secret, and the version asked for, from a secret id: {@code db-password} (the default project and
 * location), {@code projects/<p>/secrets/<s>}, {@code projects/<p>/locations/<l>/secrets/<s>} (a regional secret), each
 * with {@code /versions/<v>} or {@code ?version=<v>}, where a version is a number, {@code latest} or an alias. Every
 * part is checked against Google's rules for it before anything is sent, as the parts go into the request's path: a
 * name that could not be a secret's ({@code ../}, a space, a {@code ?}) is not found, and nothing is asked.
 *
 * @param project a project id or number
 * @param location a region, or null for a global secret
 * @param secret the secret's id
 * @param version a version number, {@code latest} or an alias
 */
record SecretName(String project, String location, String secret, String version) {

    static final String LATEST = "latest";

    /** Secret ids: letters, digits, hyphens and underscores, at most 255. */
    static final Pattern SECRET_ID = Pattern.compile("[A-Za-z0-9_-]{1,255}");

    static final Pattern LOCATION = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    /** A version number, {@code latest}, or an alias (a letter, then letters, digits, {@code -} and {@code _}). */
    static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,18}|[A-Za-z][A-Za-z0-9_-]{0,62}");

    private static final Pattern FULL =
            Pattern.compile("projects/([^/]+)(?:/locations/([^/]+))?/secrets/([^/]+)(?:/versions/([^/]+))?");

    /**
     * @param defaultProject the project of a short name (asked only for one)
     * @param defaultLocation the location of a short name, if regional
     * @throws SecretNotFoundException when the id cannot name a Secret Manager secret (nothing is sent)
     */
    static SecretName parse(
            SecretId id, Supplier<String> defaultProject, Optional<String> defaultLocation, SecretRef ref) {
        if (id.stage() != null) {
            throw new SecretNotFoundException(
                    ref, "Secret Manager has version numbers and aliases, not stages: use ?version=<number or alias>");
        }
        String path = id.path();
        String project;
        String location;
        String secret;
        String version = null;
        Matcher full = FULL.matcher(path);
        if (full.matches()) {
            project = full.group(1);
            location = full.group(2);
            secret = full.group(3);
            version = full.group(4);
        } else if (SECRET_ID.matcher(path).matches()) {
            project = defaultProject.get();
            location = defaultLocation.orElse(null);
            secret = path;
        } else {
            throw new SecretNotFoundException(
                    ref,
                    "not a Secret Manager secret name: <secret id> (letters, digits, - and _),"
                            + " projects/<project>/secrets/<id> or"
                            + " projects/<project>/locations/<location>/secrets/<id>, optionally with /versions/<v>");
        }
        if (id.versionId() != null) {
            if (version != null && !version.equals(id.versionId())) {
                throw new SecretNotFoundException(ref, "the id names two versions");
            }
            version = id.versionId();
        }
        if (!GcpSettings.PROJECT.matcher(project).matches()) {
            throw new SecretNotFoundException(ref, "not a Google Cloud project id or number");
        }
        if (location != null && !LOCATION.matcher(location).matches()) {
            throw new SecretNotFoundException(ref, "not a Google Cloud location");
        }
        if (!SECRET_ID.matcher(secret).matches()) {
            throw new SecretNotFoundException(ref, "not a Secret Manager secret id (letters, digits, - and _)");
        }
        if (version != null && !VERSION.matcher(version).matches()) {
            throw new SecretNotFoundException(ref, "not a Secret Manager version: a number, latest or an alias");
        }
        return new SecretName(project, location, secret, version);
    }

    /** Whether a version (a number, an alias or {@code latest}) was asked for. */
    boolean pinned() {
        return version != null;
    }

    /** Whether the version asked for is a version number, which never moves. */
    boolean pinnedToNumber() {
        return version != null && Character.isDigit(version.charAt(0));
    }

    /** {@code projects/<p>[/locations/<l>]/secrets/<s>} */
    String secretPath() {
        return "projects/" + project + (location == null ? "" : "/locations/" + location) + "/secrets/" + secret;
    }

    /** The version asked for, {@code latest} when none was. */
    String versionPath() {
        return secretPath() + "/versions/" + (version == null ? LATEST : version);
    }

    /**
     * The version number in a version's name as Google answers it ({@code projects/<number>/secrets/<s>/versions/<n>}:
     * Google names the project by number, so only the rest is compared), if the name is this secret's.
     */
    Optional<String> versionNumberIn(String name) {
        String tail = (location == null ? "" : "/locations/" + location) + "/secrets/" + secret + "/versions/";
        int at = name.indexOf(tail);
        if (!name.startsWith("projects/") || at < 0 || name.indexOf('/', "projects/".length()) != at) {
            return Optional.empty();
        }
        String number = name.substring(at + tail.length());
        return number.matches("[1-9][0-9]{0,18}") ? Optional.of(number) : Optional.empty();
    }
}
