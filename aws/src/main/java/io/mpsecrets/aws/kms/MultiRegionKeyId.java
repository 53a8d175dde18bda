package io.mpsecrets.aws.kms;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Multi-Region KMS key's id ({@code mrk-} and 32 hex digits), bare or in a key ARN. Its replicas share the id and key
 * material, so a ciphertext made under it in one region decrypts under the same id in any region it is replicated to;
 * only the ARN's region changes.
 */
record MultiRegionKeyId(String partition, String account, String region, String id) {

    private static final Pattern ID = Pattern.compile("mrk-[0-9a-f]{32}");
    private static final Pattern ARN =
            Pattern.compile("arn:(aws[a-z-]*):kms:([a-z0-9-]+):([0-9]{12}):key/(mrk-[0-9a-f]{32})");

    /** The key id if it names a Multi-Region key; an alias or a single-region key is empty. */
    static Optional<MultiRegionKeyId> parse(String keyId) {
        if (ID.matcher(keyId).matches()) {
            return Optional.of(new MultiRegionKeyId(null, null, null, keyId));
        }
        Matcher arn = ARN.matcher(keyId);
        return arn.matches()
                ? Optional.of(new MultiRegionKeyId(arn.group(1), arn.group(3), arn.group(2), arn.group(4)))
                : Optional.empty();
    }

    /** The region a key ARN names, for any key ARN; empty for ids and aliases. */
    static Optional<String> regionOf(String keyId) {
        if (!keyId.startsWith("arn:")) {
            return Optional.empty();
        }
        String[] parts = keyId.split(":", 6);
        return parts.length == 6 && parts[2].equals("kms") ? Optional.of(parts[3]) : Optional.empty();
    }

    /** The key id that names this key's replica in {@code replicaRegion}. */
    String in(String replicaRegion) {
        return partition == null ? id : "arn:" + partition + ":kms:" + replicaRegion + ":" + account + ":key/" + id;
    }
}
