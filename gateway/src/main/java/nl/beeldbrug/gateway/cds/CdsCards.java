package nl.beeldbrug.gateway.cds;

import nl.beeldbrug.gateway.priors.PriorCheck;
import nl.beeldbrug.registry.imaging.ImagingStudySummary;
import nl.beeldbrug.registry.priors.PriorRanker;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns a prior check into CDS Hooks cards: a warning card for a likely duplicate (what, when, where, links to the
 * images and the report, a suggestion to cancel the draft order) and an info card listing the top relevant priors.
 * Cards are plain maps, serialised by Jackson as the CDS Hooks JSON.
 */
final class CdsCards {

    static final String SOURCE_LABEL = "Beeldbrug";
    private static final ZoneId AMSTERDAM = ZoneId.of("Europe/Amsterdam");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d-M-yyyy").withZone(AMSTERDAM);

    private final String fhirBase;
    private final String wadoBase;
    private final int cardPriors;

    CdsCards(String fhirBase, String wadoBase, int cardPriors) {
        this.fhirBase = fhirBase;
        this.wadoBase = wadoBase;
        this.cardPriors = cardPriors;
    }

    /** The cards for one draft order; {@code onCancel} is told the uuid of each cancel suggestion issued. */
    List<Map<String, Object>> cards(PriorCheck check, String draftOrderId, java.util.function.Consumer<String> onCancel) {
        List<Map<String, Object>> cards = new ArrayList<>();
        if (check.duplicate()) {
            PriorRanker.Ranked<ImagingStudySummary> prior = check.duplicates().get(0);
            ImagingStudySummary study = prior.study();
            long days = java.time.temporal.ChronoUnit.DAYS.between(study.started().atZone(AMSTERDAM).toLocalDate(),
                    check.plannedDate().atZone(AMSTERDAM).toLocalDate());
            String where = study.performer() == null || study.performer().name() == null ? "another organisation" : study.performer().name();
            Map<String, Object> card = card("warning", truncate("Likely duplicate: " + describe(study) + " " + days
                    + " days ago at " + where));
            card.put("detail", "A recent study of the same exam exists: **" + describe(study) + "** on " + DAY.format(study.started())
                    + " at " + where + ".\n\nPlanned: " + check.planned().summary() + ". Rule: " + prior.reason()
                    + ".\n\nConsider using these images instead of ordering the exam again.");
            card.put("links", links(study, check));
            if (draftOrderId != null) {
                String suggestion = UUID.randomUUID().toString();
                onCancel.accept(suggestion);
                Map<String, Object> action = new LinkedHashMap<>();
                action.put("type", "delete");
                action.put("description", "Cancel the draft order: the recent study can be used instead.");
                action.put("resource", draftOrderId);
                Map<String, Object> cancel = new LinkedHashMap<>();
                cancel.put("label", "Cancel this order and use the existing study");
                cancel.put("uuid", suggestion);
                cancel.put("isRecommended", true);
                cancel.put("actions", List.of(action));
                card.put("suggestions", List.of(cancel));
                card.put("selectionBehavior", "at-most-one");
            }
            cards.add(card);
        }
        List<PriorRanker.Ranked<ImagingStudySummary>> relevant = check.relevant().stream().limit(cardPriors).toList();
        if (!relevant.isEmpty()) {
            Map<String, Object> card = card("info", truncate(relevant.size() + " relevant prior "
                    + (relevant.size() == 1 ? "study" : "studies") + " for " + check.planned().summary()));
            StringBuilder detail = new StringBuilder();
            List<Map<String, Object>> links = new ArrayList<>();
            for (PriorRanker.Ranked<ImagingStudySummary> prior : relevant) {
                ImagingStudySummary study = prior.study();
                detail.append("- **").append(describe(study)).append("**, ").append(DAY.format(study.started()))
                        .append(study.performer() == null || study.performer().name() == null ? "" : ", " + study.performer().name())
                        .append(" — ").append(prior.category() == nl.beeldbrug.registry.priors.PriorCategory.SAME_REGION
                                ? "same region" : "related region").append('\n');
                links.addAll(links(study, check));
            }
            card.put("detail", detail.toString());
            card.put("links", links);
            cards.add(card);
        }
        return cards;
    }

    private List<Map<String, Object>> links(ImagingStudySummary study, PriorCheck check) {
        List<Map<String, Object>> links = new ArrayList<>();
        links.add(link("Images: " + describe(study), wadoBase + "/studies/" + study.studyInstanceUid()));
        links.add(link("ImagingStudy: " + describe(study), fhirBase + "/ImagingStudy/" + study.studyInstanceUid()));
        for (ImagingStudySummary.StudyDocument report : study.reports()) {
            if (check.visibleReports().contains(report.uniqueId())) {
                links.add(link("Report: " + describe(study), fhirBase + "/Binary/" + report.uniqueId()));
            }
        }
        return links;
    }

    private static Map<String, Object> link(String label, String url) {
        Map<String, Object> link = new LinkedHashMap<>();
        link.put("label", truncate(label));
        link.put("url", url);
        link.put("type", "absolute");
        return link;
    }

    private Map<String, Object> card(String indicator, String summary) {
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("uuid", UUID.randomUUID().toString());
        card.put("summary", summary);
        card.put("indicator", indicator);
        card.put("source", Map.of("label", SOURCE_LABEL, "url", fhirBase));
        return card;
    }

    private static String describe(ImagingStudySummary study) {
        if (study.description() != null && !study.description().isBlank()) {
            return study.description();
        }
        return study.modalities().isEmpty() ? "imaging study" : study.modalities().get(0).code() + " study";
    }

    /** CDS Hooks: a summary is under 140 characters. */
    static String truncate(String text) {
        return text.length() < 140 ? text : text.substring(0, 136) + "...";
    }
}
