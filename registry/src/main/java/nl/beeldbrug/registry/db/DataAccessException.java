package nl.beeldbrug.registry.db;

import java.sql.SQLException;

/** A failure of the database itself (not of the caller's input). */
public class DataAccessException extends RuntimeException {
    public DataAccessException(SQLException cause) {
        super("database error: " + cause.getMessage(), cause);
    }
}
