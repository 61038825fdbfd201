package nl.beeldbrug.gateway.ai;

import nl.beeldbrug.registry.ai.CohortMember;
import nl.beeldbrug.registry.consent.Ura;

import java.util.List;

/** Every INCLUDED member of any of a platform's cohorts, once per pseudonymous study, in a stable order. */
@FunctionalInterface
public interface PlatformMembers {
    List<CohortMember> of(Ura platform);
}
