/**
 * The {@code file} store: a directory of one file per secret, as Kubernetes and Docker mount them
 * ({@link FileSecretStore}), every read bounded in size and never through a link that leads out of the directory; built
 * by {@link FileSecretStoreFactory} from {@code mpsecrets.file.*}, found through {@code META-INF/services}.
 * Configuration names the store ({@code file}), never these classes.
 *
 * <p>Internal: not API; may change in any release.
 */
package io.mpsecrets.store.file;
