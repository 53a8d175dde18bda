/**
 * The backends on the class path, by name: {@link Backends} finds every factory through {@code ServiceLoader} and
 * refuses two of one name, {@link KmsRegistry} picks the enabled KMS a value's key id belongs to and builds it on first
 * use, {@link BackendSettings} is a {@link io.mpsecrets.api.spi.BackendContext} over settings, and every call to a
 * backend is counted ({@link BackendCalls}) and held to the SPI's promise of typed failures ({@code Guarded}).
 *
 * <p>Internal: not API; may change in any release.
 */
package io.mpsecrets.backend;
