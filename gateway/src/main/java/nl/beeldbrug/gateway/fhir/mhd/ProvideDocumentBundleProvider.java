package nl.beeldbrug.gateway.fhir.mhd;

import ca.uhn.fhir.rest.annotation.Transaction;
import ca.uhn.fhir.rest.annotation.TransactionParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import nl.beeldbrug.gateway.fhir.FhirAuditInterceptor;
import nl.beeldbrug.registry.xds.DocumentRepositoryService;
import nl.beeldbrug.registry.xds.XdsException;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.InstantType;
import org.openehealth.ipf.commons.ihe.xds.XDS;
import org.openehealth.ipf.commons.ihe.xds.core.ebxml.ebxml30.EbXMLFactory30;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Folder;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.SubmissionSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.ProvideAndRegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode;
import org.openehealth.ipf.commons.ihe.xds.core.transform.requests.ProvideAndRegisterDocumentSetTransformer;
import org.openehealth.ipf.commons.ihe.xds.core.validate.XDSMetaDataException;
import org.openehealth.ipf.commons.ihe.xds.core.validate.requests.ProvideAndRegisterDocumentSetRequestValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * MHD ITI-65 Provide Document Bundle at the server base ({@code POST /fhir} with a transaction Bundle),
 * as the Document Recipient grouped with our XDS repository and registry: the bundle becomes the
 * ITI-41 request ({@link ProvideBundleTranslator}), is checked by the same IPF ITI-41 validator the
 * SOAP route runs (on its ebXML form), and is stored by {@link DocumentRepositoryService#provideAndRegister}
 * in one database transaction: all or nothing. The answer is the MHD transaction-response: one entry
 * per request entry, {@code 201 Created} with the location of what it became.
 */
public final class ProvideDocumentBundleProvider {

    private static final Logger log = LoggerFactory.getLogger(ProvideDocumentBundleProvider.class);

    private final DocumentRepositoryService repository;
    private final ProvideBundleTranslator translator = new ProvideBundleTranslator();
    private final ProvideAndRegisterDocumentSetTransformer ebXml = new ProvideAndRegisterDocumentSetTransformer(new EbXMLFactory30());
    private final Clock clock;

    public ProvideDocumentBundleProvider(DocumentRepositoryService repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    @Transaction
    public Bundle provide(@TransactionParam Bundle bundle, RequestDetails request) {
        ProvideBundleTranslator.Translation translation = translator.translate(bundle);
        FhirAuditInterceptor.namePatients(request, Set.of(translation.patient().value()));
        ProvideAndRegisterDocumentSet xds = translation.request();
        try {
            validate(xds);
            repository.provideAndRegister(xds);
        } catch (XdsException e) {
            log.info("ITI-65 refused: {}", e.code().getOpcode());
            throw MhdErrors.toFhir(e);
        }
        log.info("ITI-65 Success");
        return response(translation);
    }

    /** IPF's ITI-41 request validation, on the ebXML form of the converted request (as the SOAP route runs it). */
    private void validate(ProvideAndRegisterDocumentSet request) {
        try {
            ProvideAndRegisterDocumentSetRequestValidator.getInstance().validate(ebXml.toEbXML(request), XDS.Interactions.ITI_41);
        } catch (XDSMetaDataException e) {
            ErrorCode code = e.getValidationMessage().getErrorCode();
            throw new XdsException(code == null ? ErrorCode.REGISTRY_METADATA_ERROR : code, e.getMessage());
        }
    }

    private Bundle response(ProvideBundleTranslator.Translation translation) {
        Bundle response = new Bundle();
        response.setType(Bundle.BundleType.TRANSACTIONRESPONSE);
        response.getMeta().addProfile(MhdNaming.PROVIDE_BUNDLE_RESPONSE);
        InstantType now = new InstantType(Date.from(clock.instant()));
        List<Object> objects = translation.objectPerEntry();
        for (Object object : objects) {
            String location;
            if (object instanceof SubmissionSet set) {
                location = "List/" + XdsFhirTypes.idOf(set.getEntryUuid());
            } else if (object instanceof Folder folder) {
                location = "List/" + XdsFhirTypes.idOf(folder.getEntryUuid());
            } else if (object instanceof DocumentEntry entry) {
                location = "DocumentReference/" + XdsFhirTypes.idOf(entry.getEntryUuid());
            } else if (object instanceof Binary binary) {
                location = "Binary/" + translation.binaryDocuments().get(binary);
            } else {
                throw new IllegalStateException("unexpected entry " + object);
            }
            response.addEntry().getResponse().setStatus("201 Created").setLocation(location).setLastModifiedElement(now);
        }
        return response;
    }

}
