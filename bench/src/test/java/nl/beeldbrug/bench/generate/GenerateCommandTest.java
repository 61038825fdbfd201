package nl.beeldbrug.bench.generate;

import nl.beeldbrug.bench.corpus.national.FhirBundles;
import nl.beeldbrug.bench.corpus.national.NationalCorpus;
import nl.beeldbrug.bench.corpus.national.NationalStudy;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class GenerateCommandTest {

    private static final String[] CORPUS = {"--seed", "11", "--patients", "300", "--studies", "1500", "--chunk-patients", "40",
            "--outputs", "fhir,dicom", "--dicom-patients", "50"};

    @TempDir
    Path tmp;

    private static int generate(Path out, String... more) {
        String[] args = Stream.concat(Stream.of("--out", out.toString()), Stream.concat(Stream.of(CORPUS), Stream.of(more)))
                .toArray(String[]::new);
        return new CommandLine(new GenerateCommand()).execute(args);
    }

    /** Every output file (not the progress lists, whose line order follows the threads) with its bytes' hash. */
    private static TreeMap<String, Integer> files(Path dir) throws IOException {
        TreeMap<String, Integer> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String name = dir.relativize(p).toString();
                if (!name.startsWith("progress")) {
                    files.put(name, java.util.Arrays.hashCode(Files.readAllBytes(p)));
                }
            }
        }
        return files;
    }

    @Test
    void twoGenerationsAreByteIdentical() throws IOException {
        assertThat(generate(tmp.resolve("a"), "--threads", "2")).isZero();
        assertThat(generate(tmp.resolve("b"), "--threads", "1")).isZero();
        TreeMap<String, Integer> a = files(tmp.resolve("a"));
        String organisations = Files.readString(tmp.resolve("a/gateway-organisations.yml"));
        assertThat(organisations).contains("ura: \"21000080\"", "type: zdc");
        assertThat(organisations.split("- ura: ", -1)).hasSize(231);
        assertThat(a).containsKeys("corpus.properties", "gateway-organisations.yml", "fhir/organizations.json", "fhir/bundle-000000.json", "fhir/bundle-000007.json");
        assertThat(a.keySet()).noneMatch(n -> n.endsWith(".tmp"));
        assertThat(a.keySet().stream().filter(n -> n.startsWith("dicom/"))).isNotEmpty();
        assertThat(files(tmp.resolve("b"))).isEqualTo(a);
    }

    @Test
    void resumesWhereItStoppedWithTheSameBytes() throws IOException {
        assertThat(generate(tmp.resolve("whole"))).isZero();
        Path part = tmp.resolve("part");
        assertThat(generate(part, "--max-chunks", "3")).isZero();
        assertThat(Files.readAllLines(part.resolve("progress/fhir.done"))).hasSize(3);
        assertThat(files(part)).isNotEqualTo(files(tmp.resolve("whole")));
        assertThat(generate(part)).isZero();
        assertThat(files(part)).isEqualTo(files(tmp.resolve("whole")));
        assertThat(Files.readAllLines(part.resolve("progress/fhir.done"))).hasSize(8).doesNotHaveDuplicates();
        // a third run has nothing to do and changes nothing
        assertThat(generate(part)).isZero();
        assertThat(files(part)).isEqualTo(files(tmp.resolve("whole")));
    }

    @Test
    void refusesOtherParametersOnTheSameDirectory() {
        Path out = tmp.resolve("c");
        assertThat(generate(out, "--max-chunks", "1")).isZero();
        assertThat(new CommandLine(new GenerateCommand()).execute("--out", out.toString(), "--seed", "12", "--patients", "300",
                "--studies", "1500", "--chunk-patients", "40")).isEqualTo(2);
    }

    @Test
    void bundlesParseWithHapiAndImagingStudyIdsAreTheStudyUids() throws IOException {
        Path out = tmp.resolve("d");
        assertThat(generate(out)).isZero();
        NationalCorpus corpus = CorpusProperties.corpus(out);
        assertThat(corpus).isEqualTo(new NationalCorpus(11, 300, 1500, corpus.now(), 10, 0.85));
        var parser = FhirBundles.context().newJsonParser();
        Bundle orgs = parser.parseResource(Bundle.class, Files.readString(out.resolve("fhir/organizations.json")));
        Set<String> organizations = new HashSet<>();
        for (Bundle.BundleEntryComponent e : orgs.getEntry()) {
            organizations.add("Organization/" + ((Organization) e.getResource()).getIdElement().getIdPart());
        }
        assertThat(organizations).hasSize(230);
        int[] counts = corpus.studiesPerPatient();
        int studies = 0;
        Set<String> patients = new HashSet<>();
        for (int c = 0; c < 8; c++) {
            Bundle bundle = parser.parseResource(Bundle.class,
                    Files.readString(out.resolve(String.format("fhir/bundle-%06d.json", c))));
            assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
            Set<String> inBundle = new HashSet<>();
            for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
                assertThat(e.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.PUT);
                if (e.getResource() instanceof Patient patient) {
                    String id = patient.getIdElement().getIdPart();
                    assertThat(e.getRequest().getUrl()).isEqualTo("Patient/" + id);
                    assertThat(patient.getIdentifierFirstRep().getSystem()).isEqualTo(FhirBundles.BSN_SYSTEM);
                    inBundle.add("Patient/" + id);
                    patients.add(id);
                } else {
                    ImagingStudy study = (ImagingStudy) e.getResource();
                    String id = study.getIdElement().getIdPart();
                    assertThat(e.getRequest().getUrl()).isEqualTo("ImagingStudy/" + id);
                    assertThat(study.getIdentifierFirstRep().getValue()).isEqualTo("urn:oid:" + id);
                    assertThat(id).matches("2\\.25\\.[0-9]+").hasSizeLessThanOrEqualTo(64);
                    assertThat(inBundle).contains(study.getSubject().getReference());
                    assertThat(study.getSeries()).hasSize(study.getNumberOfSeries());
                    study.getSeries().forEach(s -> assertThat(organizations).contains(s.getPerformerFirstRep().getActor().getReference()));
                    int p = Integer.parseInt(study.getSubject().getReference().substring("Patient/p".length()));
                    List<NationalStudy> expected = corpus.studiesOf(p, counts[p]);
                    assertThat(expected).anyMatch(s -> s.studyUid().equals(id) && s.dicomModality().equals(study.getModalityFirstRep().getCode()));
                    studies++;
                }
            }
        }
        assertThat(patients).hasSize(300);
        assertThat(studies).isEqualTo(1500);
    }
}
