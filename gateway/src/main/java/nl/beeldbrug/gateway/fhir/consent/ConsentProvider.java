package nl.beeldbrug.gateway.fhir.consent;

import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.RequiredParam;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import nl.beeldbrug.gateway.fhir.ImagingStudySearchTranslator;
import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.consent.ConsentRecord;
import nl.beeldbrug.registry.consent.ConsentStatus;
import nl.beeldbrug.registry.consent.store.ConsentStore;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.patient.PatientIndex;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.IdType;

import javax.sql.DataSource;
import java.util.HashSet;
import java.util.List;

/**
 * FHIR R4 Consent over the {@link ConsentStore}: create ({@code POST /Consent}, the server assigns the id), read,
 * search by {@code patient} (BSN) and {@code status}, and revocation as {@code PUT /Consent/<id>} with
 * {@code status = inactive} and otherwise the stored content: the store records it as a revocation (version + 1,
 * history kept). Any other change by PUT is refused (422): a consent is never edited, a new one is created.
 * Consent is not yet enforced at the release points.
 */
public final class ConsentProvider implements IResourceProvider {

    static final String REVOCATION_REASON = "revoked through FHIR (PUT status inactive)";

    private final ConsentStore store;
    private final DataSource dataSource;
    private final PatientIndex patients;
    private final ConsentMapper mapper;

    public ConsentProvider(ConsentStore store, DataSource dataSource, PatientIndex patients, ConsentMapper mapper) {
        this.store = store;
        this.dataSource = dataSource;
        this.patients = patients;
        this.mapper = mapper;
    }

    @Override
    public Class<Consent> getResourceType() {
        return Consent.class;
    }

    @Create
    public MethodOutcome create(@ResourceParam Consent consent) {
        ConsentRecord record = mapper.toRecord(consent, ConsentStore.newId());
        if (!Database.read(dataSource, c -> patients.exists(c, record.patient()))) {
            throw ConsentMapper.refuse("patient: not known to the affinity domain");
        }
        ConsentRecord stored = store.create(record);
        Consent answer = mapper.toConsent(stored, 1);
        return new MethodOutcome(answer.getIdElement().withResourceType("Consent").withVersion("1"), true).setResource(answer);
    }

    @Read
    public Consent read(@IdParam IdType id) {
        ConsentRecord record = store.read(id.getIdPart()).orElseThrow(() -> new ResourceNotFoundException("Consent: not known"));
        return mapper.toConsent(record, store.version(record.id()).orElse(1));
    }

    @Search
    public List<Consent> search(@RequiredParam(name = Consent.SP_PATIENT, chainWhitelist = {"", "identifier"}) ReferenceParam patient,
                                @OptionalParam(name = Consent.SP_STATUS) TokenParam status) {
        Bsn bsn = Bsn.of(ImagingStudySearchTranslator.bsnOf(patient));
        String wanted = null;
        if (status != null) {
            if (status.getSystem() != null && !status.getSystem().isEmpty()
                    && !"http://hl7.org/fhir/consent-state-codes".equals(status.getSystem())) {
                throw new InvalidRequestException("status: the system must be http://hl7.org/fhir/consent-state-codes");
            }
            wanted = status.getValue();
            if (!"active".equals(wanted) && !"inactive".equals(wanted)) {
                throw new InvalidRequestException("status: active or inactive");
            }
        }
        String filter = wanted;
        return store.search(bsn).stream().filter(r -> filter == null || r.status().fhirCode().equals(filter))
                .map(r -> mapper.toConsent(r, store.version(r.id()).orElse(1))).toList();
    }

    /** Revocation: the stored consent with status inactive; nothing else may change. */
    @Update
    public MethodOutcome update(@IdParam IdType id, @ResourceParam Consent consent) {
        ConsentRecord stored = store.read(id.getIdPart()).orElseThrow(() -> new ResourceNotFoundException("Consent: not known"));
        if (consent.getStatus() != Consent.ConsentState.INACTIVE) {
            throw ConsentMapper.refuse("status: PUT only revokes a consent (status inactive); create a new consent instead");
        }
        ConsentRecord sent = mapper.toRecord(consent, stored.id());
        if (!sent.patient().equals(stored.patient()) || !sent.dateTime().equals(stored.dateTime())
                || !new HashSet<>(sent.provisions()).equals(new HashSet<>(stored.provisions()))) {
            throw ConsentMapper.refuse("PUT only revokes a consent: patient, dateTime and provisions must stay as stored");
        }
        ConsentRecord revoked = stored.status() == ConsentStatus.REVOKED ? stored
                : store.revoke(stored.id(), REVOCATION_REASON).orElseThrow(() -> new ResourceNotFoundException("Consent: not known"));
        int version = store.version(revoked.id()).orElse(1);
        Consent answer = mapper.toConsent(revoked, version);
        return new MethodOutcome(answer.getIdElement().withResourceType("Consent").withVersion(String.valueOf(version)))
                .setResource(answer);
    }
}
