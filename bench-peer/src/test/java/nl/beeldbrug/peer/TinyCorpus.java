package nl.beeldbrug.peer;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A few patients and studies written as NATIONAL-CORPUS.md says the generator writes them (transaction bundles of
 * PUT entries with client ids: Organization/ura-…, Patient/p&lt;n&gt;, ImagingStudy/&lt;Study Instance UID&gt;).
 */
final class TinyCorpus {

    static final String BSN = "http://fhir.nl/fhir/NamingSystem/bsn";
    static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
    static final String[] MODALITIES = {"CT", "MR", "US", "DX"};

    record Study(String uid, int patient, String modality, OffsetDateTime started) {
    }

    final List<Study> studies = new ArrayList<>();
    final int patients;

    TinyCorpus(long seed, int patients, int studiesPerPatient) {
        this.patients = patients;
        Random random = new Random(seed);
        for (int p = 0; p < patients; p++) {
            for (int s = 0; s < studiesPerPatient; s++) {
                String uid = "2.25." + new java.math.BigInteger(100, random);
                OffsetDateTime started = OffsetDateTime.of(2016 + random.nextInt(10), 1 + random.nextInt(12), 1 + random.nextInt(28),
                        8 + random.nextInt(10), random.nextInt(60), 0, 0, ZoneOffset.ofHours(1));
                studies.add(new Study(uid, p, MODALITIES[random.nextInt(MODALITIES.length)], started));
            }
        }
    }

    static String bsn(int patient) {
        return String.format("%09d", 100_000_000 + patient);
    }

    static String organizations(int count) {
        StringBuilder sb = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
        for (int i = 1; i <= count; i++) {
            String id = String.format("ura-%08d", i);
            sb.append(i > 1 ? "," : "").append("""
                    {"fullUrl":"Organization/%1$s","resource":{"resourceType":"Organization","id":"%1$s",\
                    "identifier":[{"system":"http://fhir.nl/fhir/NamingSystem/ura","value":"%2$08d"}],"name":"Ziekenhuis %2$d"},\
                    "request":{"method":"PUT","url":"Organization/%1$s"}}""".formatted(id, i));
        }
        return sb.append("]}").toString();
    }

    String bundle() {
        StringBuilder sb = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
        for (int p = 0; p < patients; p++) {
            sb.append(p > 0 ? "," : "").append("""
                    {"fullUrl":"Patient/p%1$d","resource":{"resourceType":"Patient","id":"p%1$d",\
                    "identifier":[{"system":"%2$s","value":"%3$s"}],"name":[{"family":"Jansen","given":["Anna"]}],\
                    "gender":"female","birthDate":"1960-05-0%4$d"},"request":{"method":"PUT","url":"Patient/p%1$d"}}"""
                    .formatted(p, BSN, bsn(p), 1 + p % 9));
        }
        int i = 0;
        for (Study s : studies) {
            sb.append(",").append("""
                    {"fullUrl":"ImagingStudy/%1$s","resource":{"resourceType":"ImagingStudy","id":"%1$s",\
                    "identifier":[{"system":"urn:dicom:uid","value":"urn:oid:%1$s"},\
                    {"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"ACSN"}]},"value":"ACC%2$d"}],\
                    "status":"available","subject":{"reference":"Patient/p%3$d"},"started":"%4$s",\
                    "modality":[{"system":"%5$s","code":"%6$s"}],\
                    "procedureCode":[{"coding":[{"system":"http://loinc.org","code":"24627-2","display":"CT thorax"}]}],\
                    "description":"Onderzoek","numberOfSeries":1,"numberOfInstances":2,\
                    "series":[{"uid":"%1$s.1","modality":{"system":"%5$s","code":"%6$s"},\
                    "bodySite":{"system":"http://snomed.info/sct","code":"51185008","display":"Thorax"},"numberOfInstances":2,\
                    "performer":[{"actor":{"reference":"Organization/ura-%7$08d"}}]}]},\
                    "request":{"method":"PUT","url":"ImagingStudy/%1$s"}}"""
                    .formatted(s.uid(), i++, s.patient(), s.started(), DCM, s.modality(), 1 + s.patient() % 3));
        }
        return sb.append("]}").toString();
    }
}
