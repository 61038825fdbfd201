package nl.beeldbrug.gateway.consent;

import nl.beeldbrug.registry.consent.OrganisationType;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.demo.SyntheticStudies;
import nl.beeldbrug.registry.patient.Bsn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The generated data of the leak property test, known to the test independently of the gateway: patients, their
 * studies (a KOS manifest and a report each, held by one of several organisations), and the organisations that ask.
 */
final class LeakWorld {

    /** A document of a study as the registry holds it; {@code submissionSet}: the entryUUID of the set that brought it. */
    record Document(String entryUuid, String uniqueId, boolean report, String submissionSet) {
    }

    /** A study: its patient, its data holder (URA and type), its modality and its manifest and report. */
    record Study(String uid, Bsn patient, Ura holder, OrganisationType holderType, String modality, Document manifest,
                 Document report) {
        List<Document> documents() {
            return List.of(manifest, report);
        }
    }

    /** An organisation that may ask (URA, type as the gateway's directory knows it). */
    record Organisation(Ura ura, OrganisationType type) {
    }

    /** Who asks: organisation, purpose, UZI role; {@code authorization} is its bearer token. */
    record Requester(Organisation organisation, PurposeOfUse purpose, String uziRole, String user, String authorization) {
        @Override
        public String toString() {
            return organisation.ura().value() + "/" + organisation.type() + "/" + purpose;
        }
    }

    /** Organisations that only ask (no studies): a GP practice, an AI platform, and one the directory does not know. */
    static final Organisation GP = new Organisation(Ura.of("56000001"), OrganisationType.GP);
    static final Organisation AI_PLATFORM = new Organisation(Ura.of("78000001"), OrganisationType.AI_PLATFORM);
    /** Not in the directory: the gateway gives it the default type (hospital). */
    static final Organisation UNLISTED = new Organisation(Ura.of("90000001"), OrganisationType.HOSPITAL);

    final List<Bsn> patients;
    /** A valid BSN that is never registered. */
    final Bsn unknownPatient;
    final List<Study> studies;
    final Map<Bsn, List<Study>> studiesByPatient = new LinkedHashMap<>();
    final Map<String, Study> studiesByUid = new LinkedHashMap<>();
    final List<Organisation> organisations = new ArrayList<>();

    LeakWorld(List<Bsn> patients, List<Study> studies) {
        this.patients = List.copyOf(patients);
        List<Bsn> more = SyntheticStudies.patients(patients.size() + 1);
        this.unknownPatient = more.get(more.size() - 1);
        this.studies = List.copyOf(studies);
        patients.forEach(p -> studiesByPatient.put(p, new ArrayList<>()));
        studies.forEach(s -> studiesByPatient.get(s.patient()).add(s));
        studies.forEach(s -> studiesByUid.put(s.uid(), s));
        organisations.addAll(organisations());
    }

    /** The organisations that ask: the data holders of {@code SyntheticStudies.SITES}, {@link #GP}, {@link #AI_PLATFORM}, {@link #UNLISTED}. */
    static List<Organisation> organisations() {
        List<Organisation> all = new ArrayList<>();
        for (SyntheticStudies.Site site : SyntheticStudies.SITES) {
            all.add(new Organisation(Ura.of(site.ura()), typeOf(site)));
        }
        all.addAll(List.of(GP, AI_PLATFORM, UNLISTED));
        return all;
    }

    static OrganisationType typeOf(SyntheticStudies.Site site) {
        return site.hospital() ? OrganisationType.HOSPITAL : OrganisationType.ZDC;
    }

    /** The {@code beeldbrug.consent.organisations} entries the gateway is started with (all but {@link #UNLISTED}). */
    static Map<String, String> directoryProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        int i = 0;
        for (SyntheticStudies.Site site : SyntheticStudies.SITES) {
            i = put(properties, i, site.ura(), typeOf(site).code());
        }
        i = put(properties, i, GP.ura().value(), GP.type().code());
        put(properties, i, AI_PLATFORM.ura().value(), AI_PLATFORM.type().code());
        return properties;
    }

    private static int put(Map<String, String> properties, int i, String ura, String type) {
        properties.put("beeldbrug.consent.organisations[" + i + "].ura", ura);
        properties.put("beeldbrug.consent.organisations[" + i + "].type", type);
        properties.put("beeldbrug.consent.organisations[" + i + "].name", "organisation " + ura);
        return i + 1;
    }

    /** The study with this UID; null when it is none of the generated ones. */
    Study study(String uid) {
        return studiesByUid.get(uid);
    }

    List<Study> studiesOf(Bsn patient) {
        return studiesByPatient.getOrDefault(patient, List.of());
    }
}
