package nl.beeldbrug.registry.consent;

import nl.beeldbrug.registry.patient.Bsn;

import java.util.Objects;

/**
 * The closed question ("gesloten autorisatievraag") put to the national consent service: may this
 * requester, for this purpose, see this patient's data held by this data holder?
 *
 * @param patient        the patient (BSN)
 * @param requester      the consulting organisation (URA)
 * @param requesterType  its organisation type
 * @param uziRole        the professional's UZI role code (may be null)
 * @param purpose        TREAT or COC
 * @param dataHolder     the organisation holding the data (URA)
 * @param dataHolderType its organisation type
 */
public record NationalConsentQuestion(Bsn patient, Ura requester, OrganisationType requesterType, String uziRole,
                                      PurposeOfUse purpose, Ura dataHolder, OrganisationType dataHolderType) {

    public NationalConsentQuestion {
        Objects.requireNonNull(patient, "patient");
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(requesterType, "requesterType");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(dataHolder, "dataHolder");
        Objects.requireNonNull(dataHolderType, "dataHolderType");
        if (!purpose.isTreatment()) {
            throw new IllegalArgumentException("the national consent service answers for TREAT and COC only");
        }
    }

    /** The question for one request and resource. */
    public static NationalConsentQuestion of(RequestContext context, ResourceMetadata resource) {
        return new NationalConsentQuestion(resource.patient(), context.organisation(), context.organisationType(),
                context.uziRole(), context.purpose(), resource.sourceOrganisation(), resource.sourceOrganisationType());
    }

    /** Masks the BSN (records print their components). */
    @Override
    public String toString() {
        return "NationalConsentQuestion[" + patient + ", " + requester + "/" + requesterType + ", role " + uziRole
                + ", " + purpose + ", holder " + dataHolder + "/" + dataHolderType + "]";
    }
}
