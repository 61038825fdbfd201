package nl.beeldbrug.registry.testing;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import javax.sql.DataSource;

/**
 * JUnit 5 extension: one embedded PostgreSQL (a real server, the production engine) per test JVM,
 * started on first use in a temporary directory, migrated once and stopped when the JVM's tests are
 * done. After each test every table is emptied, so each test (from its constructor on) starts from
 * an empty registry.
 * <p>
 * Inject {@link TestDatabase} or {@link DataSource} into constructors, lifecycle or test methods:
 * <pre>{@code
 * @ExtendWith(RegistryDatabaseExtension.class)
 * class MyTest {
 *     MyTest(TestDatabase db) { ... }
 * }
 * }</pre>
 * Read-only tests over one registry content can share it: on a class annotated
 * {@code @TestInstance(PER_CLASS)} the tables are emptied once before and once after the class, so that its
 * {@code @BeforeAll} method stores the content for all its tests (and its {@code @Nested} classes);
 * such tests must not change what they share.
 * <p>
 * Test classes using it must not run concurrently with each other (they share one schema).
 */
public final class RegistryDatabaseExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RegistryDatabaseExtension.class);

    /** The JVM's database, started on first use; stopped with the root context (end of the test run). */
    public static TestDatabase database(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Holder.class, k -> new Holder(TestDatabase.start()), Holder.class)
                .database;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        if (sharesContent(testClass) && !testClass.isAnnotationPresent(Nested.class)) {
            database(context).clean();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!sharesContent(context.getRequiredTestClass())) {
            database(context).clean();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        if (sharesContent(testClass) && !testClass.isAnnotationPresent(Nested.class)) {
            database(context).clean();
        }
    }

    /** The outermost class decides: PER_CLASS lifecycle means one content for the whole class. */
    private static boolean sharesContent(Class<?> testClass) {
        Class<?> outermost = testClass;
        while (outermost.isAnnotationPresent(Nested.class) && outermost.getEnclosingClass() != null) {
            outermost = outermost.getEnclosingClass();
        }
        TestInstance lifecycle = outermost.getAnnotation(TestInstance.class);
        return lifecycle != null && lifecycle.value() == TestInstance.Lifecycle.PER_CLASS;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestDatabase.class || type == DataSource.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        TestDatabase db = database(context);
        return parameter.getParameter().getType() == DataSource.class ? db.dataSource() : db;
    }

    @SuppressWarnings("deprecation") // CloseableResource: the store closes it when the root context ends
    private record Holder(TestDatabase database) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            database.close();
        }
    }
}
