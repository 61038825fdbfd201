package nl.beeldbrug.bench.corpus.national;

import nl.beeldbrug.bench.corpus.Corpus;
import nl.beeldbrug.bench.corpus.EntryUuids;
import nl.beeldbrug.bench.corpus.StudyCorpus;
import nl.beeldbrug.registry.consent.ConsentRecord;
import nl.beeldbrug.registry.consent.ConsentStatus;
import nl.beeldbrug.registry.consent.Provision;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.demo.SyntheticStudies;
import nl.beeldbrug.registry.demo.SyntheticStudies.Site;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.priors.Laterality;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A synthetic national imaging corpus, fully determined by its parameters (same parameters, same bytes): {@code
 * patients} patients with valid BSNs (as {@link Corpus#bsns}), birth date, sex and names, and {@code studies} studies
 * over them, in the {@code years} years before {@code now}, each with a report with probability {@code reportShare}.
 *
 * <ul>
 *   <li>Patients (people with imaging): age 0–17 8 %, 18–39 20 %, 40–64 37 %, 65–79 25 %, 80–94 10 %; 51 % women.</li>
 *   <li>Studies per patient: at least one, 1 + geometric with a mean that grows with age (factor 0.5, 0.7, 1.0, 1.5,
 *       1.6 for the age groups above) scaled so the corpus holds exactly {@code studies}; mean studies/patients
 *       (default 5).</li>
 *   <li>Dates: more recent more often (7 % growth a year), never before birth; 30 % of a patient's studies are
 *       follow-ups of their previous study (the same exam 1–120 days later, at the same site in 80 %): the priors and
 *       duplicates the prior check is about. Local time 08:00–18:00 Europe/Amsterdam.</li>
 *   <li>Modality mix, exams and sites: {@link ExamCatalogue}, {@link Sites}. Each patient has a home hospital
 *       (university centres weight 3, the next 30 weight 2, the others 1) where 75 % of their hospital studies are
 *       made, and a home ZDC for 85 % of their ZDC studies; the rest at any.</li>
 *   <li>Consents: {@link ConsentMix}.</li>
 * </ul>
 * Patient {@code p}'s study {@code i} has Study Instance UID {@code 2.25.<patientSeed(p)>1<i>} (as {@link Corpus},
 * so the loaders and {@code replicate} treat both alike) and accession {@code ACC<p>-<i>}; studies are in date order.
 */
public record NationalCorpus(long seed, int patients, int studies, ZonedDateTime now, int years, double reportShare)
        implements StudyCorpus {

    public static final int DEFAULT_YEARS = 10;
    public static final double DEFAULT_REPORT_SHARE = 0.85;
    public static final ZoneId NL = ZoneId.of("Europe/Amsterdam");
    public static final String VERSION = "1";

    private static final int[] AGE_FROM = {0, 18, 40, 65, 80, 95};
    private static final int[] AGE_PER_MILLE = {80, 200, 370, 250, 100};
    private static final double[] AGE_FACTOR = {0.5, 0.7, 1.0, 1.5, 1.6};
    private static final double MEAN_FACTOR;

    static {
        double mean = 0;
        for (int g = 0; g < AGE_FACTOR.length; g++) {
            mean += AGE_PER_MILLE[g] / 1000.0 * AGE_FACTOR[g];
        }
        MEAN_FACTOR = mean;
    }

    private static final String[] WOMEN = {"Anna", "Emma", "Sophie", "Julia", "Lotte", "Fleur", "Sanne", "Eva", "Lisa",
            "Maria", "Johanna", "Cornelia", "Wilhelmina", "Petra", "Monique", "Ingrid", "Anouk", "Femke", "Noor", "Tess"};
    private static final String[] MEN = {"Daan", "Sem", "Lucas", "Jan", "Pieter", "Hendrik", "Willem", "Kees", "Johannes",
            "Gerrit", "Mark", "Dennis", "Bas", "Thijs", "Ruben", "Jeroen", "Sander", "Bram", "Finn", "Levi"};
    private static final String[] FAMILY = {"de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker",
            "Janssen", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks",
            "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "van der Linden",
            "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel", "van der Veen", "van den Broek", "de Bruijn",
            "de Bruin", "van der Heijden", "Schouten", "van Beek", "Willems", "van Vliet"};

    private static final String[] CONCLUSIONS = {"Geen afwijkingen.", "Geen significante afwijkingen.",
            "Degeneratieve veranderingen, verder geen afwijkingen.", "Status idem vergeleken met het vorige onderzoek.",
            "Afwijking zoals beschreven; controle geadviseerd.", "Geen aanwijzingen voor een fractuur."};

    public NationalCorpus {
        if (patients < 1 || studies < patients) {
            throw new IllegalArgumentException("need 1 <= patients <= studies, got " + patients + " patients, " + studies + " studies");
        }
        if (patients >= 10_000_000) {
            throw new IllegalArgumentException("at most 9,999,999 patients");
        }
        if (years < 1 || years > 50 || reportShare < 0 || reportShare > 1) {
            throw new IllegalArgumentException("years 1..50 and report share 0..1");
        }
    }

    /** The defaults: 10 years, 85 % of studies with a report. */
    public static NationalCorpus of(long seed, int patients, int studies, ZonedDateTime now) {
        return new NationalCorpus(seed, patients, studies, now, DEFAULT_YEARS, DEFAULT_REPORT_SHARE);
    }

    @Override
    public String kind() {
        return "national";
    }

    @Override
    public List<Bsn> patientBsns() {
        return Corpus.bsns(patients);
    }

    private SplittableRandom random(int patient, int stream) {
        return new SplittableRandom(mix(mix(seed * 31 + stream) ^ patient));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private int ageGroup(int patient) {
        int r = random(patient, 1).nextInt(1000);
        for (int g = 0; g < AGE_PER_MILLE.length; g++) {
            r -= AGE_PER_MILLE[g];
            if (r < 0) {
                return g;
            }
        }
        throw new IllegalStateException();
    }

    /** Patient {@code p}'s demographics. */
    public Person person(int p) {
        SplittableRandom random = random(p, 1);
        int group = ageGroup(p);
        random.nextInt(1000); // the age group's draw
        int age = AGE_FROM[group] + random.nextInt(AGE_FROM[group + 1] - AGE_FROM[group]);
        LocalDate today = now.withZoneSameInstant(NL).toLocalDate();
        LocalDate birth = today.minusYears(age).minusDays(1 + random.nextInt(364));
        char sex = random.nextInt(100) < 51 ? 'F' : 'M';
        String given = sex == 'F' ? WOMEN[random.nextInt(WOMEN.length)] : MEN[random.nextInt(MEN.length)];
        return new Person(sex, birth, given, FAMILY[random.nextInt(FAMILY.length)]);
    }

    @Override
    public int[] studiesPerPatient() {
        double extraMean = (double) studies / patients - 1;
        int[] counts = new int[patients];
        long total = 0;
        for (int p = 0; p < patients; p++) {
            double lambda = extraMean * AGE_FACTOR[ageGroup(p)] / MEAN_FACTOR;
            int extra = 0;
            if (lambda > 0) {
                double u = random(p, 4).nextDouble();
                extra = (int) Math.min(200, Math.floor(Math.log1p(-u) / Math.log(lambda / (1 + lambda))));
            }
            counts[p] = 1 + extra;
            total += counts[p];
        }
        // exactly `studies`: add or take one study at a time, walking the patients with a prime stride
        long diff = studies - total;
        int stride = patients % 7919 == 0 ? 7907 : 7919;
        for (long i = 0; diff != 0; i++) {
            int p = (int) ((i * stride) % patients);
            if (diff > 0) {
                counts[p]++;
                diff--;
            } else if (counts[p] > 1) {
                counts[p]--;
                diff++;
            }
        }
        return counts;
    }

    @Override
    public boolean hasReport(int patient, int index) {
        long h = mix(mix(seed * 31 + 5) ^ ((long) patient << 20 | index));
        return (h >>> 11) * 0x1.0p-53 < reportShare;
    }

    /** The Study Instance UID of patient {@code p}'s study {@code i}. */
    public String studyUid(int p, int i) {
        return "2.25." + patientSeed(p) + "1" + i;
    }

    /** Patient {@code p}'s {@code count} studies, in date order. */
    public List<NationalStudy> studiesOf(int p, int count) {
        Person person = person(p);
        SplittableRandom random = random(p, 2);
        int home = homeHospital(random);
        int homeZdc = random.nextInt(Sites.ZDCS.size());
        LocalDate today = now.withZoneSameInstant(NL).toLocalDate();
        boolean mgEligible = person.sex() == 'F' && person.ageOn(today) >= 35;
        long window = Math.max(1, Math.min(365L * years, today.toEpochDay() - person.birthDate().toEpochDay()));
        double lambda = Math.log(1.07) / 365;
        double tail = 1 - Math.exp(-lambda * window);
        long[] daysAgo = new long[count];
        for (int i = 0; i < count; i++) {
            daysAgo[i] = Math.min(window - 1, (long) (-Math.log1p(-random.nextDouble() * tail) / lambda));
        }
        Arrays.sort(daysAgo);
        List<NationalStudy> result = new ArrayList<>(count);
        long previousDay = Long.MIN_VALUE;
        NationalStudy previous = null;
        for (int i = 0; i < count; i++) {
            long day = today.toEpochDay() - daysAgo[count - 1 - i]; // oldest first
            boolean followUp = previous != null && random.nextInt(100) < 30
                    && previousDay + 120 < today.toEpochDay();
            ExamCatalogue.Exam exam;
            Laterality side;
            String dicomModality;
            Site site;
            if (followUp) {
                day = Math.max(day, previousDay + 1 + random.nextInt(120));
                exam = previous.exam();
                side = previous.laterality();
                dicomModality = previous.dicomModality();
                site = random.nextInt(100) < 80 ? previous.site() : site(exam.modality(), home, homeZdc, random);
            } else {
                String modality = modality(mgEligible, random);
                exam = ExamCatalogue.exam(modality, person.sex(), random);
                side = exam.sided() ? ExamCatalogue.side(exam, random) : Laterality.UNKNOWN;
                dicomModality = ExamCatalogue.dicomModality(modality, random);
                site = site(modality, home, homeZdc, random);
            }
            ZonedDateTime started = LocalDate.ofEpochDay(day)
                    .atTime(LocalTime.of(8, 0).plusMinutes(random.nextInt(600)).withSecond(random.nextInt(60)))
                    .atZone(NL);
            if (!started.isBefore(now)) {
                started = started.minusDays(1);
            }
            NationalStudy study = new NationalStudy(p, i, studyUid(p, i), "ACC" + p + "-" + i, dicomModality, exam, side,
                    site, started, hasReport(p, i), instances(exam.modality(), side, random));
            result.add(study);
            previous = study;
            previousDay = started.toLocalDate().toEpochDay();
        }
        return result;
    }

    private static int homeHospital(SplittableRandom random) {
        int total = 0;
        for (int h = 0; h < Sites.HOSPITALS.size(); h++) {
            total += Sites.weight(h);
        }
        int r = random.nextInt(total);
        for (int h = 0; h < Sites.HOSPITALS.size(); h++) {
            r -= Sites.weight(h);
            if (r < 0) {
                return h;
            }
        }
        throw new IllegalStateException();
    }

    private static Site site(String modality, int home, int homeZdc, SplittableRandom random) {
        int zdcPercent = ExamCatalogue.MODALITIES.stream().filter(m -> m.modality().equals(modality)).findFirst()
                .orElseThrow().zdcPercent();
        if (random.nextInt(100) < zdcPercent) {
            return Sites.ZDCS.get(random.nextInt(100) < 85 ? homeZdc : random.nextInt(Sites.ZDCS.size()));
        }
        return Sites.HOSPITALS.get(random.nextInt(100) < 75 ? home : homeHospital(random));
    }

    /**
     * A modality for this patient. Mammography is for women from 35 (about 1 in 3 studies); they get it with a
     * weight raised by {@link #MG_BOOST} so that the corpus' share stays the catalogue's 5 %.
     */
    private static String modality(boolean mgEligible, SplittableRandom random) {
        int total = 0;
        for (ExamCatalogue.ModalityShare m : ExamCatalogue.MODALITIES) {
            total += weight(m, mgEligible);
        }
        int r = random.nextInt(total);
        for (ExamCatalogue.ModalityShare m : ExamCatalogue.MODALITIES) {
            r -= weight(m, mgEligible);
            if (r < 0) {
                return m.modality();
            }
        }
        throw new IllegalStateException();
    }

    /** Boost of the mammography weight for eligible women (eligible studies are about a third of all). */
    static final int MG_BOOST = 3;

    private static int weight(ExamCatalogue.ModalityShare m, boolean mgEligible) {
        if (!"MG".equals(m.modality())) {
            return m.perMille();
        }
        return mgEligible ? m.perMille() * MG_BOOST : 0;
    }

    private static int[] instances(String modality, Laterality side, SplittableRandom random) {
        int series;
        int low;
        int high;
        switch (modality) {
            case "CT" -> { series = 2 + random.nextInt(4); low = 50; high = 400; }
            case "MR" -> { series = 4 + random.nextInt(6); low = 20; high = 200; }
            case "US" -> { series = 1; low = 5; high = 40; }
            case "XR" -> { series = 1 + random.nextInt(3); low = 1; high = 2; }
            case "MG" -> { series = 1; low = side == Laterality.BOTH ? 4 : 2; high = low; }
            case "NM" -> { series = 1 + random.nextInt(3); low = 1; high = 60; }
            default -> throw new IllegalArgumentException(modality);
        }
        int[] counts = new int[series];
        for (int s = 0; s < series; s++) {
            counts[s] = low + random.nextInt(high - low + 1);
        }
        return counts;
    }

    @Override
    public PatientStudies patient(int p, List<Bsn> bsns, int[] counts) {
        Bsn bsn = bsns.get(p);
        List<SyntheticStudies.Study> list = new ArrayList<>(counts[p]);
        for (NationalStudy study : studiesOf(p, counts[p])) {
            list.add(xds(study, bsn));
        }
        return new PatientStudies(p, bsn, list);
    }

    /** A study's XDS-I metadata: KOS manifest DocumentEntry, report DocumentEntry (when it has one), SubmissionSet. */
    public SyntheticStudies.Study xds(NationalStudy study, Bsn bsn) {
        ExamCatalogue.Exam exam = study.exam();
        SyntheticStudies.ExamKind kind = new SyntheticStudies.ExamKind(study.dicomModality(), exam.snomed(),
                exam.regionName(), study.description());
        String setUid = "2.25." + patientSeed(study.patient()) + "2" + study.index();
        return SyntheticStudies.study(study.studyUid(), setUid, study.accession(), bsn, study.site(), kind,
                study.started().withZoneSameInstant(ZoneOffset.UTC), 4096L + study.index(),
                study.report() ? reportText(study) : null);
    }

    private String reportText(NationalStudy study) {
        String conclusion = CONCLUSIONS[(int) Math.floorMod(mix(seed ^ study.studyUid().hashCode()), CONCLUSIONS.length)];
        return "Verslag " + study.description() + "\nUitgevoerd bij " + study.site().name()
                + "\nConclusie: " + conclusion + " (synthetisch verslag)\n";
    }

    @Override
    public EntryUuids uuidSource(int p) {
        return new EntryUuids(seed, p);
    }

    /** Patient {@code p}'s kind of consent. */
    public ConsentMix consentKind(int p) {
        return ConsentMix.of(random(p, 3).nextInt(1000));
    }

    /** Whether a treating requester sees all of patient {@code p}'s studies (no deny of any kind). */
    public boolean fullyVisible(int p) {
        return consentKind(p).fullyVisible();
    }

    /** Patient {@code p}'s consent record, if they have one ({@code counts} as from this corpus). */
    public Optional<ConsentRecord> consent(int p, Bsn bsn, int[] counts) {
        ConsentMix kind = consentKind(p);
        if (kind == ConsentMix.NONE) {
            return Optional.empty();
        }
        SplittableRandom random = random(p, 3);
        random.nextInt(1000); // the kind's draw
        String id = new UUID(mix(seed ^ 0x636f6e73656e74L ^ p) & ~0xF000L | 0x4000L,
                mix(~seed ^ p) & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L).toString();
        ZonedDateTime given = now.minusDays(1 + random.nextInt(5 * 365));
        List<Provision> provisions = switch (kind) {
            case PERMIT -> List.of(Provision.permit().build());
            case PERMIT_AI -> List.of(Provision.permit().build(), Provision.permit().purposes(PurposeOfUse.AI).build());
            case DENY_STUDY -> List.of(Provision.permit().build(),
                    Provision.deny().studies(studyUid(p, random.nextInt(counts[p]))).build());
            case DENY_ORGANISATION -> {
                SplittableRandom studies = random(p, 2);
                homeHospital(studies);
                yield List.of(Provision.permit().build(),
                        Provision.deny().organisation(Ura.of(Sites.ZDCS.get(studies.nextInt(Sites.ZDCS.size())).ura())).build());
            }
            case DENY_ALL -> List.of(Provision.deny().build());
            case NONE -> throw new IllegalStateException();
        };
        return Optional.of(new ConsentRecord(id, bsn, ConsentStatus.ACTIVE, given.toInstant(), provisions));
    }
}
