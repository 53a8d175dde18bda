package io.mpsecrets.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import org.junit.jupiter.api.Test;

/** The vendors' refusals, as their drivers report them, and what is not one. */
class LoginRefusalsTest {

    @Test
    void theVendorsRefusalsAreRefusals() {
        assertThat(LoginRefusals.refused(new SQLException("FATAL: password authentication failed", "28P01")))
                .as("PostgreSQL")
                .isTrue();
        assertThat(LoginRefusals.refused(new SQLException("FATAL: role is not permitted to log in", "28000")))
                .as("PostgreSQL, no login")
                .isTrue();
        assertThat(LoginRefusals.refused(new SQLException("Access denied for user", "28000", 1045)))
                .as("MySQL/MariaDB")
                .isTrue();
        assertThat(LoginRefusals.refused(new SQLException("Access denied for user", null, 1045)))
                .as("MySQL without a state")
                .isTrue();
        assertThat(LoginRefusals.refused(new SQLException("Login failed for user 'app'.", "S0001", 18456)))
                .as("SQL Server")
                .isTrue();
        assertThat(LoginRefusals.refused(
                        new SQLException("ORA-01017: invalid username/password; logon denied", "72000", 1017)))
                .as("Oracle")
                .isTrue();
        assertThat(LoginRefusals.refused(new SQLInvalidAuthorizationSpecException("Wrong user name", "28000", 28000)))
                .as("H2")
                .isTrue();
    }

    @Test
    void otherFailuresAreNot() {
        assertThat(LoginRefusals.refused(new SQLException("Connection refused", "08001")))
                .isFalse();
        assertThat(LoginRefusals.refused(new SQLException("too many connections", "53300")))
                .isFalse();
        assertThat(LoginRefusals.refused(new SQLException("database does not exist", "3D000")))
                .isFalse();
        assertThat(LoginRefusals.refused(new SQLException("Can't find file", "HY000", 1017)))
                .as("MySQL's own 1017")
                .isFalse();
        assertThat(LoginRefusals.refused(new SQLException("no state"))).isFalse();
    }

    @Test
    void aRefusalIsFoundInTheChain() {
        SQLException wrapped = new SQLException("pool failed", "08001", new SQLException("auth", "28P01"));
        assertThat(LoginRefusals.refused(wrapped)).isTrue();
        SQLException chained = new SQLException("batch", "08001");
        chained.setNextException(new SQLException("Login failed", "S0001", 18456));
        assertThat(LoginRefusals.refused(chained)).isTrue();
    }

    @Test
    void aCyclicOrLongChainEnds() {
        SQLException a = new SQLException("a", "08001");
        SQLException b = new SQLException("b", "08001", a);
        a.initCause(b);
        assertThat(LoginRefusals.refused(a)).isFalse();
        SQLException deep = new SQLException("deep", "28000");
        for (int i = 0; i < 100; i++) {
            deep = new SQLException("wrap " + i, "08001", deep);
        }
        assertThat(LoginRefusals.refused(deep)).as("beyond the links looked at").isFalse();
    }
}
