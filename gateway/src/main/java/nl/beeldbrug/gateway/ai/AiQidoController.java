package nl.beeldbrug.gateway.ai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nl.beeldbrug.gateway.bridge.Archive;
import nl.beeldbrug.registry.ai.CohortMember;
import nl.beeldbrug.registry.imaging.ImagingStudySummary;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import static nl.beeldbrug.gateway.ai.AiDicomWeb.NODES;
import static nl.beeldbrug.gateway.ai.AiDicomWeb.acceptsJson;
import static nl.beeldbrug.gateway.ai.AiDicomWeb.base;
import static nl.beeldbrug.gateway.ai.AiDicomWeb.put;
import static nl.beeldbrug.gateway.ai.AiDicomWeb.putNumber;
import static nl.beeldbrug.gateway.ai.AiDicomWeb.text;
import static nl.beeldbrug.gateway.ai.AiDicomWeb.uid;
import static nl.beeldbrug.gateway.ai.AiDicomWeb.writeJson;

/**
 * QIDO-RS over the calling platform's de-identified view at {@code /ai/dicomweb}: studies (matching StudyDate in the
 * platform's shifted dates, ModalitiesInStudy, StudyInstanceUID, PatientID = pseudonym; limit/offset after the
 * consent decision), series and instances of a released study — pseudonymous UIDs and Basic Profile kept attributes
 * only. See {@link AiDicomWeb} for access, consent and audit.
 */
@RestController
@RequestMapping("/ai/dicomweb")
public class AiQidoController {

    private static final ZoneId NL = ZoneId.of("Europe/Amsterdam");
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;

    private final AiDicomWeb web;
    private final AiReleases releases;

    public AiQidoController(AiDicomWeb web, AiReleases releases) {
        this.web = web;
        this.releases = releases;
    }

    @GetMapping("/studies")
    public void searchStudies(HttpServletRequest rq, HttpServletResponse rs) {
        web.handle(AiAudit.QIDO_RS, rq, rs, (platform, context, log, done) -> {
            if (!acceptsJson(rq)) {
                done.error(rs, 406, "QIDO-RS answers application/dicom+json");
                return;
            }
            StudyFilter filter;
            int[] page;
            try {
                filter = StudyFilter.of(rq);
                page = web.page(rq);
            } catch (IllegalArgumentException e) {
                done.error(rs, 400, e.getMessage());
                return;
            }
            List<ObjectNode> matches = new ArrayList<>();
            List<CohortMember> matched = new ArrayList<>();
            for (CohortMember member : releases.permitted(platform, context, log)) {
                Optional<ImagingStudySummary> study = releases.summary(member);
                if (study.isEmpty()) {
                    continue;
                }
                AiKeys keys = new AiKeys(platform, member.bsn());
                String date = study.get().started() == null ? null
                        : LocalDate.ofInstant(study.get().started(), NL).plusDays(keys.dateShiftDays()).format(DA);
                Set<String> modalities = new LinkedHashSet<>();
                study.get().modalities().forEach(m -> modalities.add(m.code()));
                if (filter.matches(member.pseudoStudyUid(), member.patientPseudonym(), date, modalities)) {
                    ObjectNode node = NODES.objectNode();
                    put(node, "00080020", "DA", date);
                    ArrayNode mods = node.putObject("00080061").put("vr", "CS").putArray("Value");
                    modalities.forEach(mods::add);
                    node.putObject("00100010").put("vr", "PN").putArray("Value").addObject()
                            .put("Alphabetic", member.patientPseudonym());
                    put(node, "00100020", "LO", member.patientPseudonym());
                    put(node, "0020000D", "UI", member.pseudoStudyUid());
                    put(node, "00081190", "UR", base(rq) + "/studies/" + member.pseudoStudyUid());
                    matches.add(node);
                    matched.add(member);
                }
            }
            int from = Math.min(page[0], matches.size());
            int to = Math.min(matches.size(), from + page[1]);
            List<CohortMember> released = matched.subList(from, to);
            writeJson(rs, matches.subList(from, to));
            released.forEach(m -> done.released(m.bsn(), m.studyUid()));
        });
    }

    @GetMapping("/studies/{study}/series")
    public void searchSeries(@PathVariable String study, HttpServletRequest rq, HttpServletResponse rs) {
        web.handle(AiAudit.QIDO_RS, rq, rs, (platform, context, log, done) -> {
            Optional<AiReleases.Release> release = web.release(platform, context, log, study, rq, rs, done, true);
            if (release.isEmpty()) {
                return;
            }
            AiKeys keys = release.get().keys();
            Map<String, ObjectNode> series = new LinkedHashMap<>();
            String modality = rq.getParameter("Modality");
            release.get().archive().metadata(Archive.Scope.study(release.get().member().studyUid()), node -> {
                String uid = keys.uid(text(node, "0020000E"));
                ObjectNode s = series.computeIfAbsent(uid, u -> {
                    ObjectNode n = NODES.objectNode();
                    put(n, "0020000D", "UI", release.get().member().pseudoStudyUid());
                    put(n, "0020000E", "UI", u);
                    put(n, "00080060", "CS", text(node, "00080060"));
                    putNumber(n, "00200011", "IS", text(node, "00200011"));
                    n.putObject("00201209").put("vr", "IS").putArray("Value").add(0);
                    return n;
                });
                ArrayNode count = (ArrayNode) s.get("00201209").get("Value");
                count.set(0, count.get(0).asInt() + 1);
            });
            List<ObjectNode> out = series.values().stream()
                    .filter(n -> modality == null || modality.equalsIgnoreCase(n.path("00080060").path("Value").path(0).asText()))
                    .toList();
            int[] page = web.page(rq);
            int from = Math.min(page[0], out.size());
            writeJson(rs, out.subList(from, Math.min(out.size(), from + page[1])));
            done.released(release.get().member().bsn(), release.get().member().studyUid());
        });
    }

    @GetMapping("/studies/{study}/series/{series}/instances")
    public void searchInstances(@PathVariable String study, @PathVariable String series, HttpServletRequest rq,
                                HttpServletResponse rs) {
        web.handle(AiAudit.QIDO_RS, rq, rs, (platform, context, log, done) -> {
            if (!uid(series)) {
                done.error(rs, 400, "not a UID");
                return;
            }
            Optional<AiReleases.Release> release = web.release(platform, context, log, study, rq, rs, done, true);
            if (release.isEmpty()) {
                return;
            }
            AiKeys keys = release.get().keys();
            List<ObjectNode> out = new ArrayList<>();
            release.get().archive().metadata(Archive.Scope.study(release.get().member().studyUid()), node -> {
                if (!keys.uid(text(node, "0020000E")).equals(series)) {
                    return;
                }
                ObjectNode n = NODES.objectNode();
                put(n, "00080016", "UI", text(node, "00080016"));
                put(n, "00080018", "UI", keys.uid(text(node, "00080018")));
                put(n, "0020000D", "UI", release.get().member().pseudoStudyUid());
                put(n, "0020000E", "UI", series);
                putNumber(n, "00200013", "IS", text(node, "00200013"));
                out.add(n);
            });
            if (out.isEmpty()) {
                done.error(rs, 404, "no such series");
                return;
            }
            int[] page = web.page(rq);
            int from = Math.min(page[0], out.size());
            writeJson(rs, out.subList(from, Math.min(out.size(), from + page[1])));
            done.released(release.get().member().bsn(), release.get().member().studyUid());
        });
    }


    record StudyFilter(Set<String> studyUids, String patientId, String dateFrom, String dateTo, Set<String> modalities) {
        static StudyFilter of(HttpServletRequest rq) {
            Set<String> uids = values(rq, "StudyInstanceUID", "0020000D");
            Set<String> modalities = values(rq, "ModalitiesInStudy", "00080061");
            String patient = first(rq, "PatientID", "00100020");
            String date = first(rq, "StudyDate", "00080020");
            String from = null;
            String to = null;
            if (date != null && !date.isBlank()) {
                if (!date.matches("[0-9]{8}|[0-9]{8}-|-[0-9]{8}|[0-9]{8}-[0-9]{8}")) {
                    throw new IllegalArgumentException("StudyDate is YYYYMMDD or a range YYYYMMDD-YYYYMMDD");
                }
                int dash = date.indexOf('-');
                from = dash < 0 ? date : dash == 0 ? null : date.substring(0, dash);
                to = dash < 0 ? date : dash == date.length() - 1 ? null : date.substring(dash + 1);
            }
            return new StudyFilter(uids, patient, from, to, modalities);
        }

        boolean matches(String studyUid, String patientPseudonym, String date, Set<String> studyModalities) {
            if (!studyUids.isEmpty() && !studyUids.contains(studyUid)) {
                return false;
            }
            if (patientId != null && !patientId.isBlank() && !patientId.equals(patientPseudonym)) {
                return false;
            }
            if ((dateFrom != null || dateTo != null) && (date == null || (dateFrom != null && date.compareTo(dateFrom) < 0)
                    || (dateTo != null && date.compareTo(dateTo) > 0))) {
                return false;
            }
            return modalities.isEmpty() || studyModalities.stream().anyMatch(m -> modalities.contains(m.toUpperCase(Locale.ROOT)));
        }

        private static Set<String> values(HttpServletRequest rq, String name, String tag) {
            Set<String> out = new LinkedHashSet<>();
            for (String key : List.of(name, tag)) {
                String[] vs = rq.getParameterValues(key);
                if (vs != null) {
                    Arrays.stream(vs).flatMap(v -> Arrays.stream(v.split("[,\\\\]"))).map(String::trim)
                            .filter(v -> !v.isEmpty()).map(v -> v.toUpperCase(Locale.ROOT))
                            .forEach(out::add);
                }
            }
            return out;
        }

        private static String first(HttpServletRequest rq, String name, String tag) {
            String v = rq.getParameter(name);
            return v != null ? v : rq.getParameter(tag);
        }
    }

}
