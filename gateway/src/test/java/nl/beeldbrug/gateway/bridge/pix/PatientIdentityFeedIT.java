package nl.beeldbrug.gateway.bridge.pix;

import nl.beeldbrug.gateway.testing.FreshDatabase;
import nl.beeldbrug.registry.bridge.DicomPatient;
import nl.beeldbrug.registry.bridge.IdentityResolution;
import nl.beeldbrug.registry.bridge.IdentityResolution.Found;
import nl.beeldbrug.registry.bridge.IdentityResolution.Reason;
import nl.beeldbrug.registry.bridge.IdentityResolution.Unresolved;
import nl.beeldbrug.registry.bridge.PatientIdentityResolver;
import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.patient.PatientIndex;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ITI-8 Patient Identity Feed into the running gateway: ADT messages over MLLP (a raw client of our own) to the
 * {@code pix-iti8} listener on 127.0.0.1 keep the cross-reference table; the {@code XREF} strategy reads it.
 */
@DirtiesContext // one gateway context at a time: its SOAP endpoints share CXF's bus
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        "beeldbrug.demo.enabled=false",
        "beeldbrug.bridge.pix-feed-host=127.0.0.1",
        "beeldbrug.bridge.sources[0].id=zdc",
        "beeldbrug.bridge.sources[0].ura=87654321",
        "beeldbrug.bridge.sources[0].name=ZDC Test",
        "beeldbrug.bridge.sources[0].type=zdc",
        "beeldbrug.bridge.sources[0].identity.strategy=XREF",
        "beeldbrug.bridge.sources[0].identity.local-domain=" + PatientIdentityFeedIT.DOMAIN})
class PatientIdentityFeedIT {

    static final String DOMAIN = "1.2.528.1.1001.100.1";

    private static int feedPort;

    @DynamicPropertySource
    static void feed(DynamicPropertyRegistry registry) throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            feedPort = probe.getLocalPort();
        }
        registry.add("beeldbrug.bridge.pix-feed-port", () -> feedPort);
        FreshDatabase.register(registry, "pix-feed-it");
    }

    @Autowired
    @Qualifier("xrefIdentityResolver")
    PatientIdentityResolver resolver;
    @Autowired
    DataSource dataSource;

    private String send(String fixture) throws IOException {
        return Mllp.exchange(feedPort, Hl7Fixtures.read(fixture));
    }

    private IdentityResolution resolve(String localId) {
        return resolver.resolve("zdc", DicomPatient.of(localId, null));
    }

    private Optional<String> xref(String localId) {
        return Database.read(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("select bsn from patient_xref where local_domain = ? and local_id = ?")) {
                ps.setString(1, DOMAIN);
                ps.setString(2, localId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    private long count(String sql) {
        return Database.read(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private boolean knownPatient(String bsn) {
        return Database.read(dataSource, c -> new PatientIndex().exists(c, Bsn.of(bsn)));
    }

    @Test
    void admitRegisterAndUpdateLinkAndAMergeMovesTheLink() throws IOException {
        String a01 = send("iti8-adt-a01.hl7");
        assertThat(Mllp.field(a01, "MSA-1")).isEqualTo("AA");
        assertThat(Mllp.field(a01, "MSA-2")).isEqualTo("A01-1");
        assertThat(xref("PAT-1001")).contains("999990019");
        assertThat(resolve("PAT-1001")).isEqualTo(new Found(Bsn.of("999990019")));
        assertThat(knownPatient("999990019")).isTrue();

        assertThat(Mllp.field(send("iti8-adt-a04.hl7"), "MSA-1")).isEqualTo("AA");
        assertThat(resolve("PAT-1002")).isEqualTo(new Found(Bsn.of("999990020")));

        assertThat(Mllp.field(send("iti8-adt-a08.hl7"), "MSA-1")).isEqualTo("AA");
        assertThat(xref("PAT-1001")).contains("999990032");

        String a40 = send("iti8-adt-a40.hl7");
        assertThat(Mllp.field(a40, "MSA-1")).isEqualTo("AA");
        assertThat(xref("PAT-1001")).isEmpty();
        assertThat(xref("PAT-1003")).contains("999990032");
        assertThat(resolve("PAT-1003")).isEqualTo(new Found(Bsn.of("999990032")));
        assertThat(resolve("PAT-1001")).isInstanceOfSatisfying(Unresolved.class,
                u -> assertThat(u.reason()).isEqualTo(Reason.NO_BSN));
    }

    @Test
    void malformedMessagesAreRefusedWithAnErrorAndStoreNothing() throws IOException {
        long rows = count("select count(*) from patient_xref");
        long patients = count("select count(*) from patient");

        String garbage = send("iti8-malformed.hl7");
        assertThat(Mllp.field(garbage, "MSA-1")).isEqualTo("AR");

        String a03 = send("iti8-adt-a03.hl7");
        assertThat(Mllp.field(a03, "MSA-1")).isEqualTo("AR");
        assertThat(Mllp.field(a03, "MSA-2")).isEqualTo("A03-1");
        assertThat(Mllp.field(a03, "ERR-1")).isNotEmpty();

        String invalidBsn = send("iti8-adt-a01-invalid-bsn.hl7");
        assertThat(Mllp.field(invalidBsn, "MSA-1")).isEqualTo("AE");
        assertThat(Mllp.field(invalidBsn, "ERR-1")).startsWith("PID^").contains("^3^102&");
        assertThat(invalidBsn).doesNotContain("999990018");

        String noPid3 = send("iti8-adt-a01-no-pid3.hl7");
        assertThat(Mllp.field(noPid3, "MSA-1")).isEqualTo("AE");
        assertThat(Mllp.field(noPid3, "ERR-1")).startsWith("PID^").contains("^3^101&");

        assertThat(count("select count(*) from patient_xref")).isEqualTo(rows);
        assertThat(count("select count(*) from patient")).isEqualTo(patients);
        assertThat(xref("PAT-1004")).isEmpty();
        assertThat(xref("PAT-1005")).isEmpty();

        // the listener keeps running
        assertThat(Mllp.field(send("iti8-adt-a04.hl7"), "MSA-1")).isEqualTo("AA");
        assertThat(resolve("PAT-1002")).isEqualTo(new Found(Bsn.of("999990020")));
    }
}
