package nl.beeldbrug.gateway.qr;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;
import java.util.Optional;

/**
 * The DICOM peers Beeldbrug knows, under {@code beeldbrug.dicom.*}: per calling AE title the organisation (URA) it
 * acts for and the purpose of use of its associations (issue 6 point 2: "DICOM associations get their purpose
 * from per-AE configuration"). With {@code strict-calling-ae} an association from any other AE title is rejected
 * (A-ASSOCIATE-RJ, calling AE title not recognized); without it such a peer counts as the open requester
 * ({@code beeldbrug.security.open-requester.*}, the demo only).
 * <pre>
 * beeldbrug.dicom.strict-calling-ae=true
 * beeldbrug.dicom.calling-aes[0].ae-title=ZIEKENHUIS_PACS
 * beeldbrug.dicom.calling-aes[0].ura=00009999
 * beeldbrug.dicom.calling-aes[0].purpose=TREAT
 * </pre>
 * Both SCPs (the bridge's C-STORE SCP and the Q/R SCP) admit these peers and the bridge sources' AE titles through one
 * {@code DicomAccessGate}, which is also where the Q/R SCP takes a peer's organisation and purpose from;
 * {@code allowed=false} rejects a peer; over DICOM TLS its certificate must name its URA.
 */
@ConfigurationProperties("beeldbrug.dicom")
public record CallingAeProperties(@DefaultValue("true") boolean strictCallingAe,
                                  @DefaultValue List<CallingAe> callingAes) {

    /**
     * One known peer: its AE title, its organisation's URA and the purpose of use (HL7 ActReason code); with
     * {@code allowed=false} its associations are rejected.
     */
    public record CallingAe(String aeTitle, String ura, @DefaultValue("TREAT") String purpose,
                            @DefaultValue("true") boolean allowed) {
    }

    /** The configured peer with this calling AE title (compared without padding, case-sensitive as in DICOM). */
    public Optional<CallingAe> find(String callingAe) {
        String ae = callingAe == null ? "" : callingAe.trim();
        return callingAes.stream().filter(c -> c.aeTitle() != null && c.aeTitle().trim().equals(ae)).findFirst();
    }
}
