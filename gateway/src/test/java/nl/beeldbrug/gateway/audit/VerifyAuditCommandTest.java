package nl.beeldbrug.gateway.audit;

import nl.beeldbrug.registry.audit.AuditRecord;
import nl.beeldbrug.registry.audit.AuditStore;
import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.db.EmbeddedDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's verification command on a stopped installation's embedded database: OK on an intact trail; an
 * edited row and a deleted row are each found, by id, with exit code 1.
 */
class VerifyAuditCommandTest {

    @TempDir
    Path data;

    @Test
    void findsAnEditedAndADeletedRowOfAStoppedInstallation() {
        Path directory = data.resolve("postgres");
        List<Long> ids = withDatabase(directory, database -> {
            Database.migrate(database.dataSource());
            AuditStore store = new AuditStore(database.dataSource());
            for (int i = 0; i < 5; i++) {
                store.append(new AuditRecord("110112", "ITI-18", "Success", List.of("999990019"), "<m" + i + "/>",
                        "12345678", "user", "TREAT"));
            }
            return store.after(0, 10).stream().map(e -> e.id()).toList();
        });
        String[] args = {VerifyAuditCommand.FLAG, "--beeldbrug.db.embedded-data-dir=" + directory};

        assertThat(run(args)).startsWith("0 OK audit trail intact, 5 records");

        withDatabase(directory, database -> sql(database, "update audit_event set user_id = 'someone-else' where id = " + ids.get(2)));
        assertThat(run(args)).startsWith("1 TAMPERED first broken record id " + ids.get(2) + ": content changed");

        withDatabase(directory, database -> sql(database, "update audit_event set user_id = 'user' where id = " + ids.get(2)));
        assertThat(run(args)).startsWith("0 OK");
        withDatabase(directory, database -> sql(database, "delete from audit_event where id = " + ids.get(1)));
        assertThat(run(args)).startsWith("1 TAMPERED first broken record id " + ids.get(2) + ": link to the previous record broken");
    }

    @Test
    void aMissingDatabaseCannotBeChecked() {
        assertThat(run(new String[]{VerifyAuditCommand.FLAG, "--beeldbrug.db.embedded-data-dir=" + data.resolve("none")}))
                .startsWith("2 ERROR");
        assertThat(VerifyAuditCommand.requested(new String[]{"--server.port=1"})).isFalse();
        assertThat(VerifyAuditCommand.requested(new String[]{"--beeldbrug.audit.verify=http://127.0.0.1:8081"})).isTrue();
    }

    private static String run(String[] args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = VerifyAuditCommand.run(args, Map.of(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return code + " " + bytes.toString(StandardCharsets.UTF_8);
    }

    private static <T> T withDatabase(Path directory, java.util.function.Function<EmbeddedDatabase, T> work) {
        try (EmbeddedDatabase database = EmbeddedDatabase.start(directory, true, false)) {
            return work.apply(database);
        }
    }

    private static Integer sql(EmbeddedDatabase database, String statement) {
        return Database.inTransaction(database.dataSource(), c -> {
            try (PreparedStatement ps = c.prepareStatement(statement)) {
                return ps.executeUpdate();
            }
        });
    }
}
