package io.mpsecrets.examples.it;

import io.mpsecrets.testkit.arquillian.MpSecretsArquillian;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.mpsecrets.testkit.vault.MockDatabase;
import java.time.Duration;
import java.util.List;

/**
 * The mock Vault's dynamic database role the server-defined datasources log in with ({@link ServerDataSourceIT},
 * {@link WildFlyDataSourceIT}): {@code orders} on the orders PostgreSQL, allowed to read its table, with passwords
 * that start with the leak guard's canary (one in a log or an answer is caught). Leases of 6 s with a max TTL of 8 s:
 * the store renews at 4 s (two thirds), the max TTL caps the renewal, so it takes a new lease every 4 s and revokes
 * the old one 2 s later (the grace, and the old lease's end).
 */
final class OrdersRole {

    static final String NAME = "orders";
    /** The names the engine gives the role's database users. */
    static final String USER_PREFIX = "V_ORDERS_";

    private OrdersRole() {}

    /** The mock Vault's database engine, in this test JVM. */
    static MockDatabase engine() {
        return MpSecretsArquillian.server().vault().database();
    }

    /** Defines the role on {@code postgres}. */
    static void define(OrdersPostgres postgres) {
        MockDatabase engine = engine();
        engine.passwordPrefix(LeakGuard.CANARY + "-");
        engine.connection("orders-db", postgres.admin());
        engine.postgresRole(
                NAME,
                "orders-db",
                List.of("GRANT SELECT ON orders TO \"{{name}}\""),
                Duration.ofSeconds(6),
                Duration.ofSeconds(8));
    }
}
