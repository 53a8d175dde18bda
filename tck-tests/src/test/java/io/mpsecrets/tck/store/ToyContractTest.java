package io.mpsecrets.tck.store;

import io.mpsecrets.api.SecretId;
import java.util.Map;
import org.example.toy.ToySecrets;

/** The toy store, a backend written outside mp-secrets against its api jar only, registered by META-INF/services. */
class ToyContractTest extends SecretStoreContract {

    private static final String NAMESPACE = "contract";

    @Override
    protected String store() {
        return "toy";
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("mpsecrets.toy.namespace", NAMESPACE);
    }

    @Override
    protected SecretId put(String name, String text) {
        ToySecrets.put(NAMESPACE, name, text);
        return SecretId.of(name);
    }

    @Override
    protected SecretId absent(String name) {
        return SecretId.of(name);
    }

    @Override
    protected boolean breakStore() {
        ToySecrets.down(true);
        return true;
    }

    @Override
    protected void repairStore() {
        ToySecrets.down(false);
    }
}
