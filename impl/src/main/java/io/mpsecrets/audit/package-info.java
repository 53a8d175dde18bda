/**
 * The audit log: {@link AuditLog} hands every event to the sinks (the logger, the CDI bridge; with required audit, an
 * access no sink records is refused) and is the one writer of the {@code io.mpsecrets.audit} logger, one escaped,
 * parseable {@link AuditLogLine} per event. The logger's name and the line's fields are for operators (README.md,
 * docs/runbook.md); the classes are not.
 *
 * <p>Internal: not API; may change in any release.
 */
package io.mpsecrets.audit;
