/**
 * A loopback HTTP server that answers as a broken or hostile service would ({@link HostileHttpServer}: a body far too
 * large, one trickled a byte at a time, JSON of the wrong shape, no answer), for the tests that prove a backend bounds
 * what it reads. mp-secrets' own backend tests use it; it is not promised to anyone else yet.
 *
 * <p>Internal: not API; may change in any release.
 */
package io.mpsecrets.testkit.hostile;
