package nl.beeldbrug.registry.bridge;

import nl.beeldbrug.registry.bridge.FeedRejectedException.Error;
import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.patient.PatientIndex;

import javax.sql.DataSource;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * ITI-8 Patient Identity Feed into the cross-reference table (the {@code XREF} strategy). A message's identifiers
 * in the local domains of connected sources are linked to its BSN: A01/A04/A05/A08 link them (or remove their
 * link when the message carries no BSN any more), A40 moves the prior id's link to the surviving id. Every
 * message is applied in one transaction or not at all ({@link FeedRejectedException}); a linked BSN also becomes a
 * patient known to the affinity domain ({@link PatientIndex}).
 */
public final class PatientIdentityFeed {

    private final DataSource dataSource;
    private final Set<String> domains;
    private final PatientCrossReference xref;
    private final PatientIndex patients;
    private final Clock clock;

    /** @param domains the local domains (assigning authority OIDs) of the sources whose identity strategy is XREF */
    public PatientIdentityFeed(DataSource dataSource, Set<String> domains, PatientCrossReference xref,
                               PatientIndex patients, Clock clock) {
        this.dataSource = dataSource;
        this.domains = domains.stream().map(AssigningAuthority::oid).filter(d -> !d.isEmpty()).collect(Collectors.toUnmodifiableSet());
        this.xref = xref;
        this.patients = patients;
        this.clock = clock;
    }

    /** What a message changed. Names no identifier. */
    public record Outcome(int linked, int unlinked, int unchanged, boolean withBsn) {
        public String summary() {
            String s = linked + " linked, " + unlinked + " unlinked, " + unchanged + " unchanged";
            return withBsn ? s : "no BSN in PID-3: " + s;
        }
    }

    /** A01/A04/A05/A08: the patient's identifiers (PID-3) as they are now. */
    public Outcome update(String event, List<PatientIdentifier> identifiers) {
        Optional<Bsn> bsn = bsnOf(identifiers);
        List<LocalPatientId> locals = localIds(identifiers, Error.UNKNOWN_DOMAIN, "PID-3");
        return Database.inTransaction(dataSource, c -> {
            int linked = 0, unlinked = 0, unchanged = 0;
            for (LocalPatientId local : locals) {
                if (bsn.isPresent()) {
                    if (xref.link(c, local, bsn.get(), event, clock.instant())) {
                        linked++;
                    } else {
                        unchanged++;
                    }
                } else if (xref.unlink(c, local).isPresent()) {
                    unlinked++;
                } else {
                    unchanged++;
                }
            }
            if (bsn.isPresent()) {
                patients.add(c, bsn.get());
            }
            return new Outcome(linked, unlinked, unchanged, bsn.isPresent());
        });
    }

    /**
     * A40: the prior ids (MRG-1) are merged into the surviving patient (PID-3). The surviving id of the same domain
     * takes the BSN of PID-3, else the one it had, else the prior id's; the prior id's link is removed.
     */
    public Outcome merge(List<PatientIdentifier> surviving, List<PatientIdentifier> prior) {
        Optional<Bsn> bsn = bsnOf(surviving);
        List<LocalPatientId> priors = localIds(prior, Error.NO_PRIOR_ID, "MRG-1");
        Map<String, LocalPatientId> survivors = new LinkedHashMap<>();
        for (PatientIdentifier identifier : surviving) {
            String domain = AssigningAuthority.oid(identifier.authority());
            if (identifier.hasId() && domains.contains(domain)) {
                survivors.putIfAbsent(domain, new LocalPatientId(domain, identifier.id()));
            }
        }
        for (LocalPatientId p : priors) {
            if (!survivors.containsKey(p.domain())) {
                throw new FeedRejectedException(Error.NO_SURVIVING_ID,
                        "PID-3 has no surviving identifier in the domain " + p.domain() + " of the prior id");
            }
        }
        return Database.inTransaction(dataSource, c -> {
            int linked = 0, unlinked = 0, unchanged = 0;
            for (LocalPatientId p : priors) {
                LocalPatientId target = survivors.get(p.domain());
                Optional<Bsn> priorBsn = p.equals(target) ? Optional.empty() : xref.unlink(c, p);
                if (priorBsn.isPresent()) {
                    unlinked++;
                }
                Optional<Bsn> targetBsn = bsn.isPresent() ? bsn : xref.bsnOfForUpdate(c, target);
                if (targetBsn.isEmpty()) {
                    targetBsn = priorBsn;
                }
                if (targetBsn.isPresent()) {
                    patients.add(c, targetBsn.get());
                    if (xref.link(c, target, targetBsn.get(), "A40", clock.instant())) {
                        linked++;
                    } else {
                        unchanged++;
                    }
                } else {
                    unchanged++;
                }
            }
            return new Outcome(linked, unlinked, unchanged, true); // A40: a BSN in PID-3 is optional
        });
    }

    private static Optional<Bsn> bsnOf(List<PatientIdentifier> identifiers) {
        Set<String> candidates = new LinkedHashSet<>();
        for (PatientIdentifier identifier : identifiers) {
            if (identifier.isBsn() && identifier.hasId()) {
                candidates.add(identifier.id().trim());
            }
        }
        if (candidates.size() > 1) {
            throw new FeedRejectedException(Error.AMBIGUOUS_BSN, "PID-3 has " + candidates.size() + " different BSNs");
        }
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        Optional<Bsn> bsn = Bsn.parse(candidates.iterator().next());
        if (bsn.isEmpty()) {
            throw new FeedRejectedException(Error.INVALID_BSN, "the BSN in PID-3 fails the elfproef");
        }
        return bsn;
    }

    private List<LocalPatientId> localIds(List<PatientIdentifier> identifiers, Error error, String field) {
        Set<LocalPatientId> locals = new LinkedHashSet<>();
        for (PatientIdentifier identifier : identifiers) {
            String domain = AssigningAuthority.oid(identifier.authority());
            if (identifier.hasId() && domains.contains(domain)) {
                locals.add(new LocalPatientId(domain, identifier.id()));
            }
        }
        if (locals.isEmpty()) {
            throw new FeedRejectedException(error, field + " has no identifier in a local domain of a connected source " + domains);
        }
        return List.copyOf(locals);
    }
}
