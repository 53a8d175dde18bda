/**
 * File and text helpers of the core: writes that readers see whole or not at all ({@link AtomicFiles}), the lock every
 * writer of an operator's file holds, across processes and threads ({@link WriterLock}), and UTF-8 decoding that
 * refuses malformed input instead of altering it ({@link StrictUtf8}).
 *
 * <p>Internal: not API; may change in any release.
 */
package io.mpsecrets.support;
