package nl.beeldbrug.registry.testing;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.logging.Logger;

/**
 * A minimal connection pool for tests: the services open and close a connection per call, and a
 * new PostgreSQL connection costs a backend process (tens of milliseconds on a loaded machine).
 * Closing a handed-out connection returns it, rolled back and in auto-commit mode, for reuse.
 */
final class PooledDataSource implements DataSource {

    private final DataSource target;
    private final Deque<Connection> idle = new ArrayDeque<>();

    PooledDataSource(DataSource target) {
        this.target = target;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection physical;
        synchronized (idle) {
            physical = idle.pollFirst();
        }
        if (physical == null || !physical.isValid(2)) {
            physical = target.getConnection();
        }
        return wrap(physical);
    }

    private Connection wrap(Connection physical) {
        InvocationHandler handler = new InvocationHandler() {
            private boolean closed;

            @Override
            public Object invoke(Object proxy, java.lang.reflect.Method method, Object[] args) throws Throwable {
                switch (method.getName()) {
                    case "close" -> {
                        if (!closed) {
                            closed = true;
                            release(physical);
                        }
                        return null;
                    }
                    case "isClosed" -> {
                        return closed || physical.isClosed();
                    }
                    case "unwrap", "isWrapperFor" -> {
                        // fall through to the physical connection
                    }
                    default -> {
                        if (closed) {
                            throw new SQLException("connection is closed");
                        }
                    }
                }
                try {
                    return method.invoke(physical, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        };
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class}, handler);
    }

    private void release(Connection physical) throws SQLException {
        if (physical.isClosed()) {
            return;
        }
        if (!physical.getAutoCommit()) {
            physical.rollback();
            physical.setAutoCommit(true);
        }
        synchronized (idle) {
            idle.addFirst(physical);
        }
    }

    /** Closes the idle connections (those still handed out are closed by their users). */
    void closeIdle() {
        synchronized (idle) {
            for (Connection c : idle) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // the server stops next anyway
                }
            }
            idle.clear();
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the test pool has one user");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return target.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return target.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || target.isWrapperFor(iface);
    }
}
