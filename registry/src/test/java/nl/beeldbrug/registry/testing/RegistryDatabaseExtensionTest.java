package nl.beeldbrug.registry.testing;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The fixture itself: a migrated schema, emptied before each test (or once per PER_CLASS class). */
@ExtendWith(RegistryDatabaseExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryDatabaseExtensionTest {

    @Test
    @Order(1)
    void firstTestStoresSomething(TestDatabase db) {
        assertThat(db.count("patient")).isZero();
        db.addPatient(SampleMetadata.BSN);
        assertThat(db.count("patient")).isEqualTo(1);
    }

    @Test
    @Order(2)
    void nextTestStartsEmpty(TestDatabase db) {
        assertThat(db.count("patient")).isZero();
        assertThat(db.count("registry_object")).isZero();
    }

    @Test
    @Order(3)
    void theSchemaIsMigratedAndConnectionsAreReused(TestDatabase db, DataSource dataSource) throws Exception {
        assertThat(dataSource).isSameAs(db.dataSource());
        assertThat(db.queryForString("select count(*) from flyway_schema_history where success")).isNotEqualTo("0");
        try (var c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.createStatement().execute("insert into patient (bsn) values ('" + SampleMetadata.OTHER_BSN.value() + "')");
            // closed without commit: the pool rolls back before reuse
        }
        assertThat(db.count("patient")).isZero();
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class NestedClassesOfAPerMethodClassAreCleanedPerTest {
        @Test
        @Order(1)
        void stores(TestDatabase db) {
            assertThat(db.count("patient")).isZero();
            db.addPatient(SampleMetadata.THIRD_BSN);
        }

        @Test
        @Order(2)
        void startsEmpty(TestDatabase db) {
            assertThat(db.count("patient")).isZero();
        }
    }
}
