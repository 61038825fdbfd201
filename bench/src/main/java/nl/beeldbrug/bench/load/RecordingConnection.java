package nl.beeldbrug.bench.load;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in JDBC connection on which the registry's own insert code ({@code XdsStore.insert}) runs
 * unchanged: every single-row {@code insert into t (columns) values (?, ...)} it executes is handed
 * to a consumer as table, columns and values instead of reaching a database. The bulk loader thus
 * writes exactly the rows the gateway would, whatever columns and encodings the registry adds later.
 * Only what an insert needs is supported; anything else fails loudly.
 */
final class RecordingConnection {

    /** One recorded insert. Values are Java objects as bound: String, Integer, Long, Timestamp, String[] or null. */
    record Insert(String table, List<String> columns, Object[] values) {
    }

    private static final Pattern INSERT = Pattern.compile(
            "\\s*insert\\s+into\\s+(\\w+)\\s*\\(([^)]*)\\)\\s*values\\s*\\((.*)\\)\\s*", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private RecordingConnection() {
    }

    static Connection create(Consumer<Insert> sink) {
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "prepareStatement" -> statement((String) args[0], sink);
            case "createArrayOf" -> array((Object[]) args[1]);
            case "close" -> null;
            case "isClosed" -> false;
            case "getAutoCommit" -> false;
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            case "toString" -> "RecordingConnection";
            default -> throw new UnsupportedOperationException("RecordingConnection." + method.getName());
        };
        return (Connection) Proxy.newProxyInstance(RecordingConnection.class.getClassLoader(), new Class<?>[]{Connection.class}, handler);
    }

    private static PreparedStatement statement(String sql, Consumer<Insert> sink) {
        Matcher m = INSERT.matcher(sql);
        if (!m.matches()) {
            throw new UnsupportedOperationException("not a single-row insert: " + sql);
        }
        String table = m.group(1).toLowerCase(Locale.ROOT);
        List<String> columns = Arrays.stream(m.group(2).split(",")).map(String::trim).toList();
        Object[] values = new Object[columns.size()];
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            if (name.startsWith("set") && args != null && args.length >= 2 && args[0] instanceof Integer index) {
                values[index - 1] = name.equals("setNull") ? null : value(args[1]);
                return null;
            }
            return switch (name) {
                case "executeUpdate" -> {
                    sink.accept(new Insert(table, columns, values.clone()));
                    yield 1;
                }
                case "close", "clearParameters" -> null;
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                case "toString" -> "RecordingStatement[" + sql + "]";
                default -> throw new UnsupportedOperationException("RecordingStatement." + name);
            };
        };
        return (PreparedStatement) Proxy.newProxyInstance(RecordingConnection.class.getClassLoader(),
                new Class<?>[]{PreparedStatement.class}, handler);
    }

    private static Object value(Object bound) throws java.sql.SQLException {
        if (bound instanceof Array array) {
            Object[] elements = (Object[]) array.getArray();
            String[] strings = new String[elements.length];
            for (int i = 0; i < elements.length; i++) {
                strings[i] = elements[i] == null ? null : elements[i].toString();
            }
            return strings;
        }
        if (bound instanceof OffsetDateTime odt) {
            return Timestamp.from(odt.toInstant());
        }
        return bound;
    }

    private static Array array(Object[] elements) {
        Object[] copy = elements.clone();
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "getArray" -> copy;
            case "free" -> null;
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            case "toString" -> Arrays.toString(copy);
            default -> throw new UnsupportedOperationException("RecordingArray." + method.getName());
        };
        return (Array) Proxy.newProxyInstance(RecordingConnection.class.getClassLoader(), new Class<?>[]{Array.class}, handler);
    }

    /** The recorded values as COPY text fields. */
    static void appendRow(CopyText row, Object[] values) {
        for (Object v : values) {
            if (v == null) {
                row.field((String) null);
            } else if (v instanceof String s) {
                row.field(s);
            } else if (v instanceof Integer || v instanceof Long) {
                row.field(v.toString());
            } else if (v instanceof Timestamp ts) {
                row.field(ts.toInstant().toString());
            } else if (v instanceof String[] array) {
                row.field(arrayLiteral(array));
            } else if (v instanceof byte[] bytes) {
                row.bytea(bytes);
            } else {
                throw new UnsupportedOperationException("cannot write a " + v.getClass().getName() + " with COPY");
            }
        }
        row.endRow();
    }

    /** A PostgreSQL array literal: every element double-quoted, backslash and quote escaped. */
    static String arrayLiteral(String[] values) {
        List<String> parts = new ArrayList<>(values.length);
        for (String v : values) {
            parts.add(v == null ? "NULL" : "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        }
        return "{" + String.join(",", parts) + "}";
    }
}
