package nl.beeldbrug.gateway.bridge;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The PACS bridge (issue 8), under {@code beeldbrug.bridge.*}: the archives Beeldbrug publishes for and
 * fetches from, and its own DICOM application entity. Empty by default (no archive connected).
 *
 * @param aeTitle  Beeldbrug's own AE title (C-STORE SCP for pushed studies, calling AE for C-FIND/C-MOVE/C-GET)
 * @param dicomPort the port of Beeldbrug's DICOM SCP; 0 = no SCP
 * @param sources  the connected archives, one entry each
 * @param pixFeedHost the address Beeldbrug's ITI-8 Patient Identity Feed listener (MLLP) binds to
 * @param pixFeedPort the port of that listener; 0 = no listener (the {@code XREF} strategy's table is then not fed)
 */
@ConfigurationProperties("beeldbrug.bridge")
public record BridgeProperties(@DefaultValue("BEELDBRUG") String aeTitle,
                               @DefaultValue("0") int dicomPort,
                               @DefaultValue List<Source> sources,
                               @DefaultValue("0.0.0.0") String pixFeedHost,
                               @DefaultValue("0") int pixFeedPort) {

    public Optional<Source> source(String id) {
        return sources.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    public Optional<Source> sourceOfUra(String ura) {
        return sources.stream().filter(s -> s.ura().equals(ura)).findFirst();
    }

    /**
     * One connected archive (a hospital PACS or a ZDC archive).
     *
     * @param id              a short name, used in APIs (import targets) and logs
     * @param ura             the organisation's URA (eight digits)
     * @param name            the organisation's name (XDS author institution)
     * @param type            organisation type code: {@code hospital}, {@code zdc}, ...
     * @param homeCommunityId the community it belongs to ({@code urn:oid:…}); null = Beeldbrug's own
     * @param dicom           its DICOM application entity, when reached over DIMSE
     * @param dicomweb        its DICOMweb base URL, when reached over DICOMweb
     * @param detection       how new studies are found
     * @param identity        how the BSN of a study's patient is found
     */
    public record Source(String id, String ura, String name, @DefaultValue("hospital") String type,
                         String homeCommunityId, Dicom dicom, DicomWeb dicomweb,
                         @DefaultValue Detection detection, @DefaultValue Identity identity) {
    }

    /** A remote DICOM AE; {@code tls} = DICOM over TLS with Beeldbrug's client certificate. */
    public record Dicom(String aeTitle, @DefaultValue("127.0.0.1") String host, int port,
                        @DefaultValue("false") boolean tls) {
    }

    /** A DICOMweb service (QIDO-RS, WADO-RS, STOW-RS under one base URL). */
    public record DicomWeb(URI baseUrl) {
    }

    /**
     * How completed studies are detected: {@code QIDO} or {@code CFIND} polling every {@code interval}
     * (with a persisted watermark), {@code PUSH} (studies sent to Beeldbrug's C-STORE SCP), {@code NONE}.
     * A study counts as complete once it has not changed for {@code stableAfter}.
     */
    public record Detection(@DefaultValue("NONE") Mode mode,
                            @DefaultValue("30s") Duration interval,
                            @DefaultValue("60s") Duration stableAfter) {
        public enum Mode { NONE, QIDO, CFIND, PUSH }
    }

    /**
     * How a study's BSN is found: {@code HEADER} (Patient ID with Issuer of Patient ID = the BSN OID, or an
     * Other Patient IDs Sequence entry with that issuer), {@code PIX} (ITI-9 query to {@code pixHost}:{@code pixPort}
     * in {@code localDomain}, answer awaited for at most {@code pixTimeout}), or {@code XREF} (the cross-reference
     * table fed by ITI-8). {@code localDomain} is the assigning authority OID of the archive's own patient ids.
     */
    public record Identity(@DefaultValue("HEADER") Strategy strategy,
                           String localDomain,
                           String pixHost,
                           @DefaultValue("0") int pixPort,
                           @DefaultValue("10s") Duration pixTimeout) {
        public enum Strategy { HEADER, PIX, XREF }
    }
}
