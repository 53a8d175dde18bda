package io.mpsecrets.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * One physical connection's login: with the credentials in service; when the database refuses them, once more with
 * what {@link SecretCredentials#afterRefusal} gives. Any other failure, and a refusal with nothing else to try, is
 * thrown as the driver threw it. A statement is never retried: only the login, before the application holds the
 * connection.
 */
final class SecretLogin {

    private static final Logger LOG = Logger.getLogger("io.mpsecrets.jdbc");

    /** Opens a physical connection as a user; the target driver or datasource. */
    @FunctionalInterface
    interface Connector {
        Connection connect(String user, String password) throws SQLException;
    }

    private SecretLogin() {}

    static Connection connect(SecretCredentials credentials, Connector connector) throws SQLException {
        SecretCredentials.Login login = credentials.current();
        try {
            return accepted(credentials, login, connector.connect(login.user(), login.password()));
        } catch (SQLException refused) {
            if (!LoginRefusals.refused(refused)) {
                throw refused;
            }
            Optional<SecretCredentials.Login> retry;
            try {
                retry = credentials.afterRefusal(login);
            } catch (SQLException storeFailed) {
                LOG.warning(() -> "mp-secrets: the database refused a login (SQL state " + refused.getSQLState()
                        + ") and fetching the credentials of " + credentials.describe() + " again failed: "
                        + storeFailed.getMessage());
                refused.addSuppressed(storeFailed);
                throw refused;
            }
            if (retry.isEmpty()) {
                credentials.refusedAgain();
                LOG.fine(() -> "mp-secrets: the database refused a login (SQL state " + refused.getSQLState()
                        + ") and the store gives nothing else to try for " + credentials.describe());
                throw refused;
            }
            LOG.fine(() -> "mp-secrets: the database refused a login (SQL state " + refused.getSQLState()
                    + ") with the credentials of " + credentials.describe() + "; retrying once with others");
            try {
                return accepted(
                        credentials,
                        retry.get(),
                        connector.connect(retry.get().user(), retry.get().password()));
            } catch (SQLException again) {
                if (LoginRefusals.refused(again)) {
                    credentials.refusedAgain();
                }
                throw again;
            }
        }
    }

    private static Connection accepted(SecretCredentials credentials, SecretCredentials.Login login, Connection c)
            throws SQLException {
        if (c == null) {
            // Driver.connect answers null for a URL it does not take
            throw new SQLNonTransientConnectionException(
                    "mp-secrets: the target driver does not take the URL", "08001");
        }
        credentials.succeeded(login);
        return c;
    }
}
