package io.mpsecrets.jdbc;

import java.sql.SQLException;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Whether a database refused a login, from the {@link SQLException} its driver threw: SQLState class {@code 28}
 * (invalid authorization: PostgreSQL's {@code 28P01} and {@code 28000}, MySQL's and MariaDB's {@code 28000}, H2's
 * {@code 28000}), or the vendor codes of drivers that report another state: MySQL/MariaDB {@code 1045} (access
 * denied), SQL Server {@code 18456} (login failed; its state is {@code S0001}), Oracle {@code 1017} with a message
 * {@code ORA-01017} (invalid username/password; its state is {@code 72000}). The exception's chain (causes and {@link
 * SQLException#getNextException() next exceptions}) is searched, a bounded number of links deep, as a pool or driver
 * may wrap the refusal. Nothing else counts: a network failure, a missing database or a full server is not a refusal,
 * and fetching the credentials again would not help.
 */
public final class LoginRefusals {

    /** Links of a chain looked at; a longer (or cyclic) chain is not searched further. */
    static final int MAX_LINKS = 16;

    private static final int MYSQL_ACCESS_DENIED = 1045;
    private static final int SQL_SERVER_LOGIN_FAILED = 18456;
    private static final int ORACLE_INVALID_LOGIN = 1017;

    private LoginRefusals() {}

    /**
     * @param failure what the driver threw while connecting
     * @return whether it says the database refused the user or password
     */
    public static boolean refused(SQLException failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        Throwable link = failure;
        while (link != null && seen.size() < MAX_LINKS && seen.put(link, Boolean.TRUE) == null) {
            if (link instanceof SQLException sql) {
                if (refusal(sql)) {
                    return true;
                }
                SQLException next = sql.getNextException();
                if (next != null && next != link && !seen.containsKey(next)) {
                    if (refusal(next)) {
                        return true;
                    }
                }
            }
            link = link.getCause();
        }
        return false;
    }

    private static boolean refusal(SQLException sql) {
        String state = sql.getSQLState();
        if (state != null && state.startsWith("28")) {
            return true;
        }
        int code = sql.getErrorCode();
        if (code == ORACLE_INVALID_LOGIN) {
            // MySQL has a 1017 of its own (a missing file): Oracle's says so in its message
            String message = sql.getMessage();
            return message != null && message.startsWith("ORA-01017");
        }
        return code == MYSQL_ACCESS_DENIED || code == SQL_SERVER_LOGIN_FAILED;
    }
}
