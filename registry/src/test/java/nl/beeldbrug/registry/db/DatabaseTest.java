package nl.beeldbrug.registry.db;

import nl.beeldbrug.registry.testing.RegistryDatabaseExtension;
import nl.beeldbrug.registry.testing.SampleMetadata;
import nl.beeldbrug.registry.testing.TestDatabase;
import nl.beeldbrug.registry.xds.XdsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Transaction demarcation: commit on return, rollback on any exception, the cause never hidden. */
@ExtendWith(RegistryDatabaseExtension.class)
class DatabaseTest {

    private final TestDatabase db;

    DatabaseTest(TestDatabase db) {
        this.db = db;
    }

    @Test
    void migrationsAreAppliedOnceAndAreIdempotent() {
        assertThat(Database.migrate(db.dataSource())).isZero();
        assertThat(db.count("registry_object")).isZero();
    }

    @Test
    void commitsWhenTheWorkReturns() {
        String result = Database.inTransaction(db.dataSource(), c -> {
            insertPatient(c, SampleMetadata.BSN.value());
            return "done";
        });
        assertThat(result).isEqualTo("done");
        assertThat(db.count("patient")).isEqualTo(1);
    }

    @Test
    void rollsBackWhenTheWorkThrowsAndRethrowsUnchanged() {
        XdsException refusal = new XdsException(ErrorCode.REGISTRY_METADATA_ERROR, "refused");
        assertThatThrownBy(() -> Database.inTransaction(db.dataSource(), c -> {
            insertPatient(c, SampleMetadata.BSN.value());
            throw refusal;
        })).isSameAs(refusal);
        assertThat(db.count("patient")).isZero();
    }

    @Test
    void sqlFailuresBecomeDataAccessExceptionAfterRollback() {
        assertThatThrownBy(() -> Database.inTransaction(db.dataSource(), c -> {
            insertPatient(c, SampleMetadata.BSN.value());
            insertPatient(c, SampleMetadata.BSN.value()); // primary key
            return null;
        })).isInstanceOf(DataAccessException.class).hasCauseInstanceOf(SQLException.class);
        assertThat(db.count("patient")).isZero();
    }

    @Test
    void aFailingRollbackDoesNotHideWhyTheWorkFailed() {
        DataSource broken = failingOn(db.dataSource(), "rollback", "setAutoCommit:true");
        XdsException refusal = new XdsException(ErrorCode.REGISTRY_METADATA_ERROR, "refused");

        assertThatThrownBy(() -> Database.inTransaction(broken, c -> {
            throw refusal;
        })).isSameAs(refusal);
        assertThat(refusal.getSuppressed()).singleElement().isInstanceOf(SQLException.class);
    }

    private static void insertPatient(Connection c, String bsn) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("insert into patient (bsn) values ('" + bsn + "')");
        }
    }

    /**
     * Connections whose named methods throw (a broken connection); "method:arg" fails only for
     * that argument. Closing still closes the real connection.
     */
    private static DataSource failingOn(DataSource target, String... methods) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[]{DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(target, method, args);
                    if (!method.getName().equals("getConnection")) {
                        return result;
                    }
                    Connection real = (Connection) result;
                    return Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                            (p, m, a) -> {
                                for (String failing : methods) {
                                    String[] parts = failing.split(":");
                                    boolean argMatches = parts.length == 1 || (a != null && String.valueOf(a[0]).equals(parts[1]));
                                    if (m.getName().equals(parts[0]) && argMatches) {
                                        if (m.getName().equals("setAutoCommit")) {
                                            // still restore the real connection before it returns to the pool
                                            real.rollback();
                                            real.setAutoCommit(true);
                                        }
                                        throw new SQLException("connection broken (" + failing + ")");
                                    }
                                }
                                return invoke(real, m, a);
                            });
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
