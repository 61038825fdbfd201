package nl.beeldbrug.gateway.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.nio.file.Path;
import java.time.Duration;

/**
 * All of Beeldbrug's own configuration, under {@code beeldbrug.*}. Every key can be set as an
 * environment variable (e.g. {@code BEELDBRUG_DB_URL}); the defaults run on a laptop with no setup.
 */
@Validated
@ConfigurationProperties("beeldbrug")
public record BeeldbrugProperties(@Valid @NotNull @DefaultValue Db db,
                                  @Valid @NotNull @DefaultValue Xds xds,
                                  @Valid @NotNull @DefaultValue Audit audit,
                                  @Valid @NotNull @DefaultValue Http http,
                                  @Valid @NotNull @DefaultValue Demo demo) {

    /**
     * The PostgreSQL store. With {@code url} empty an embedded PostgreSQL runs with its data in
     * {@code embeddedDataDir}.
     */
    public record Db(String url,
                     @DefaultValue("postgres") String user,
                     String password,
                     @DefaultValue("data/postgres") Path embeddedDataDir,
                     @Min(1) @DefaultValue("10") int poolSize) {
        public boolean embedded() {
            return url == null || url.isBlank();
        }
    }

    /** The XDS.b registry/repository. */
    public record Xds(@NotBlank @DefaultValue("2.16.528.1.1007.3.3.99999999.1.1") String repositoryUniqueId,
                      @NotBlank @DefaultValue("urn:oid:2.16.528.1.1007.3.3.99999999.1") String homeCommunityId,
                      @NotNull @DefaultValue("64MB") DataSize maxDocumentSize,
                      @Min(1) @DefaultValue("10000") int maxQueryResults) {
    }

    /**
     * NEN 7513 / ATNA: records are always stored (hash-chained, the source of truth). Two ways on to an audit
     * repository: {@code repository.enabled} — store-and-forward over syslog TLS, in order, resumed after outages
     * and restarts (the production way); {@code forward} — the older immediate, best-effort send through IPF's
     * transport ({@code ipf.atna.audit-repository-*}, UDP or TLS), lost when the repository is down. With both
     * set, only store-and-forward is used.
     */
    public record Audit(@DefaultValue("false") boolean forward,
                        @Valid @NotNull @DefaultValue Repository repository) {
    }

    /**
     * The ATNA audit repository for store-and-forward: syslog over mutual TLS (RFC 5425 framing, RFC 5424
     * header). {@code certificateChain}, {@code privateKey} and {@code trustAnchors} are PEM files (required when
     * enabled). Records go in batches of {@code batchSize}; idle, the forwarder looks for new records every
     * {@code pollInterval} (and at once when one is stored); on failure it waits from {@code initialBackoff},
     * doubling up to {@code maxBackoff}. {@code destination} names the cursor row (V7 {@code audit_forward_cursor}).
     */
    public record Repository(@DefaultValue("false") boolean enabled,
                             @NotBlank @DefaultValue("127.0.0.1") String host,
                             @Min(1) @DefaultValue("6514") int port,
                             Path certificateChain,
                             Path privateKey,
                             Path trustAnchors,
                             @NotBlank @DefaultValue("atna") String destination,
                             @NotBlank @DefaultValue("beeldbrug") String appName,
                             @NotNull @DefaultValue("5s") Duration connectTimeout,
                             @NotNull @DefaultValue("10s") Duration writeTimeout,
                             @Min(1) @DefaultValue("200") int batchSize,
                             @NotNull @DefaultValue("5s") Duration pollInterval,
                             @NotNull @DefaultValue("1s") Duration initialBackoff,
                             @NotNull @DefaultValue("2m") Duration maxBackoff) {
    }

    /**
     * Limits on what any HTTP request may send: the body size (413 beyond it) and, for SOAP, the
     * depth and size of the XML (a SOAP Sender fault beyond them). DTDs are always refused.
     */
    public record Http(@NotNull @DefaultValue("100MB") DataSize maxRequestSize,
                       @Min(8) @DefaultValue("64") int maxXmlDepth,
                       @Min(1) @DefaultValue("2000000") int maxXmlElements) {
    }

    /** The synthetic demo data set loaded at start-up (idempotent). */
    public record Demo(@DefaultValue("true") boolean enabled,
                       @Min(0) @DefaultValue("2000") int studies,
                       @DefaultValue("20261129") long seed) {
    }
}
