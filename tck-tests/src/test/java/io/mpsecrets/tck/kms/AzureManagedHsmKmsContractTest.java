package io.mpsecrets.tck.kms;

import io.mpsecrets.testkit.MockServer;

/** Azure Managed HSM: data keys wrapped with AES key wrap (A256KW) under an oct-HSM key. */
class AzureManagedHsmKmsContractTest extends AzureKeyVaultKmsContractTest {

    AzureManagedHsmKmsContractTest(MockServer server) {
        super(server);
    }

    @Override
    protected boolean hsm() {
        return true;
    }
}
