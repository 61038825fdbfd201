package nl.beeldbrug.gateway.consent;

import nl.beeldbrug.registry.consent.DataClass;
import nl.beeldbrug.registry.patient.Bsn;
import org.apache.camel.ProducerTemplate;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssigningAuthority;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Identifiable;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ObjectReference;
import org.openehealth.ipf.commons.ihe.xds.core.requests.DocumentReference;
import org.openehealth.ipf.commons.ihe.xds.core.requests.QueryRegistry;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RetrieveDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.FindDocumentsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.GetDocumentsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.QueryReturnType;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorInfo;
import org.openehealth.ipf.commons.ihe.xds.core.responses.QueryResponse;
import org.openehealth.ipf.commons.ihe.xds.core.responses.RetrievedDocumentSet;
import org.openehealth.ipf.platform.camel.ihe.ws.AbstractWsEndpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The XDS release points through IPF's own producers (SOAP 1.2 over loopback, the token as an HTTP header):
 * ITI-18 FindDocuments (LeafClass and ObjectRef) and GetDocuments by uniqueId, ITI-43 Retrieve Document Set.
 */
final class XdsReleasePoints {

    private final ProducerTemplate producer;
    private final String hostPort;
    private final String repositoryUniqueId;

    /** @param hostPort the gateway's {@code host:port} */
    XdsReleasePoints(ProducerTemplate producer, String hostPort, String repositoryUniqueId) {
        this.producer = producer;
        this.hostPort = hostPort;
        this.repositoryUniqueId = repositoryUniqueId;
    }

    List<ReleasePoint> all() {
        return List.of(point("xds ITI-18 FindDocuments", this::findDocuments),
                point("xds ITI-18 GetDocuments", this::getDocuments),
                point("xds ITI-43 Retrieve", this::retrieveReport));
    }

    private interface Check {
        String check(ReleasePoint.Case c, String name) throws Exception;
    }

    private static ReleasePoint point(String name, Check check) {
        return new ReleasePoint() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String check(Case c) throws Exception {
                return check.check(c, name);
            }
        };
    }

    private String findDocuments(ReleasePoint.Case c, String name) {
        boolean leafClass = c.random().nextBoolean();
        FindDocumentsQuery query = new FindDocumentsQuery();
        query.setPatientId(patientId(c.patient()));
        query.setStatus(List.of(AvailabilityStatus.APPROVED));
        Set<String> expected = new TreeSet<>();
        for (LeakWorld.Study study : c.oracle().world().studiesOf(c.patient())) {
            for (LeakWorld.Document document : study.documents()) {
                boolean permitted = c.oracle().permits(c.requester(), study, document);
                c.tally().verdict(name, permitted);
                if (permitted) {
                    expected.add(document.entryUuid());
                }
            }
        }
        QueryResponse response = query(c, new QueryRegistry(query, leafClass ? QueryReturnType.LEAF_CLASS : QueryReturnType.OBJECT_REF));
        return compare("FindDocuments " + (leafClass ? "LeafClass" : "ObjectRef"), expected, response);
    }

    /** GetDocuments by uniqueId: a few documents of one patient (the case's, or one in four another's). */
    private String getDocuments(ReleasePoint.Case c, String name) {
        LeakWorld world = c.oracle().world();
        List<LeakWorld.Study> of = world.studiesOf(c.patient());
        if (of.isEmpty() || c.random().nextInt(4) == 0) {
            of = world.studiesOf(world.studies.get(c.random().nextInt(world.studies.size())).patient());
        }
        GetDocumentsQuery query = new GetDocumentsQuery();
        List<String> uniqueIds = new ArrayList<>();
        Set<String> expected = new TreeSet<>();
        int n = 1 + c.random().nextInt(3);
        for (int i = 0; i < n; i++) {
            LeakWorld.Study study = of.get(c.random().nextInt(of.size()));
            LeakWorld.Document document = c.random().nextBoolean() ? study.manifest() : study.report();
            if (uniqueIds.contains(document.uniqueId())) {
                continue;
            }
            uniqueIds.add(document.uniqueId());
            boolean permitted = c.oracle().permits(c.requester(), study, document);
            c.tally().verdict(name, permitted);
            if (permitted) {
                expected.add(document.entryUuid());
            }
        }
        query.setUniqueIds(uniqueIds);
        QueryResponse response = query(c, new QueryRegistry(query, QueryReturnType.LEAF_CLASS));
        return compare("GetDocuments", expected, response);
    }

    private String retrieveReport(ReleasePoint.Case c, String name) {
        List<LeakWorld.Study> own = c.oracle().world().studiesOf(c.patient());
        List<LeakWorld.Study> from = own.isEmpty() || c.random().nextInt(5) == 0 ? c.oracle().world().studies : own;
        LeakWorld.Study study = from.get(c.random().nextInt(from.size()));
        boolean permitted = c.oracle().permits(c.requester(), study, DataClass.REPORT);
        c.tally().verdict(name, permitted);
        RetrievedDocumentSet answer = retrieve(c, study.report().uniqueId());
        if (permitted) {
            boolean ok = answer.getDocuments().size() == 1 && answer.getErrors().isEmpty()
                    && study.report().uniqueId().equals(answer.getDocuments().get(0).getRequestData().getDocumentUniqueId());
            return ok ? null : "ITI-43 of a permitted report: " + answer.getStatus() + " " + describe(answer.getErrors(), "");
        }
        String unknown = "2.25.4711" + c.random().nextInt(1_000_000_000);
        RetrievedDocumentSet absent = retrieve(c, unknown);
        String actual = answer.getStatus() + " " + answer.getDocuments().size() + " " + describe(answer.getErrors(), study.report().uniqueId());
        String expected = absent.getStatus() + " " + absent.getDocuments().size() + " " + describe(absent.getErrors(), unknown);
        return actual.equals(expected) ? null : "ITI-43 of a denied report answered " + actual + ", of an unknown one " + expected;
    }

    private static String describe(List<ErrorInfo> errors, String uniqueId) {
        StringBuilder text = new StringBuilder();
        for (ErrorInfo error : errors) {
            text.append('[').append(error.getErrorCode()).append(' ').append(error.getCustomErrorCode()).append(' ')
                    .append(error.getSeverity()).append(' ')
                    .append(error.getCodeContext() == null ? "" : blank(error.getCodeContext(), uniqueId)).append(' ')
                    .append(error.getLocation() == null ? "" : blank(error.getLocation(), uniqueId)).append(']');
        }
        return text.toString();
    }

    private static String blank(String text, String uniqueId) {
        return uniqueId.isEmpty() ? text : text.replace(uniqueId, "{id}");
    }

    private static String compare(String what, Set<String> expected, QueryResponse response) {
        Set<String> actual = new TreeSet<>();
        response.getDocumentEntries().stream().map(DocumentEntry::getEntryUuid).forEach(actual::add);
        response.getReferences().stream().map(ObjectReference::getId).forEach(actual::add);
        if (!response.getErrors().isEmpty()) {
            return what + ": errors " + describe(response.getErrors(), "");
        }
        if (actual.equals(expected)) {
            return null;
        }
        Set<String> leaked = new TreeSet<>(actual);
        leaked.removeAll(expected);
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        return what + ": released but denied " + leaked + ", permitted but missing " + missing;
    }

    private QueryResponse query(ReleasePoint.Case c, QueryRegistry request) {
        return producer.requestBodyAndHeader("xds-iti18://" + hostPort + "/services/registry/iti18?audit=false", request,
                AbstractWsEndpoint.OUTGOING_HTTP_HEADERS, headers(c), QueryResponse.class);
    }

    private RetrievedDocumentSet retrieve(ReleasePoint.Case c, String uniqueId) {
        RetrieveDocumentSet request = new RetrieveDocumentSet();
        request.getDocuments().add(new DocumentReference(repositoryUniqueId, uniqueId, null));
        return producer.requestBodyAndHeader("xds-iti43://" + hostPort + "/services/repository/iti43?audit=false", request,
                AbstractWsEndpoint.OUTGOING_HTTP_HEADERS, headers(c), RetrievedDocumentSet.class);
    }

    private static Map<String, String> headers(ReleasePoint.Case c) {
        return Map.of("Authorization", c.requester().authorization());
    }

    private static Identifiable patientId(Bsn bsn) {
        return new Identifiable(bsn.value(), new AssigningAuthority(Bsn.OID, "ISO"));
    }
}
