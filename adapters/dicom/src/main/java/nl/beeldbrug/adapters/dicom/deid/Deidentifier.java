package nl.beeldbrug.adapters.dicom.deid;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.DicomParseException;
import nl.beeldbrug.adapters.dicom.data.DicomWriter;
import nl.beeldbrug.adapters.dicom.data.Sequence;
import nl.beeldbrug.adapters.dicom.data.TransferSyntax;
import nl.beeldbrug.adapters.dicom.data.VR;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.file.DicomFile;

/**
 * De-identifies PS3.10 instances per PS3.15 Annex E: the Basic Application Level Confidentiality Profile with,
 * as {@link DeidentificationOptions} choose, Retain Longitudinal Temporal Information with Modified Dates and Clean
 * Descriptors. The actions come from {@link ConfidentialityProfile} (Table E.1-1 from the standard's data).
 *
 * <p>What each action does here, at every level (sequence items get the same table):
 * <ul>
 *   <li><b>X</b>: removed. Private attributes (odd groups, with their creators) are removed; so are group lengths
 *       and every element of the overlay groups 60xx (the table removes Overlay Data and Comments; a plane
 *       without its data would be invalid). Curve groups 50xx are removed by their table row.</li>
 *   <li><b>Z</b>: zero-length value (sequences: no items).</li>
 *   <li><b>D</b>: a dummy of the VR: text {@code ANONYMIZED}, DA {@code 19000101}, TM {@code 000000}, DT
 *       {@code 19000101000000}, AS {@code 000D}, numbers 0, binary values zero bytes, UIDs replaced as by U,
 *       sequences no items.</li>
 *   <li><b>U</b>: every UID value replaced by {@link DeidentificationKeys#uid}, the same original giving the same
 *       replacement wherever it appears (Study/Series/SOP Instance UIDs, Referenced SOP Instance UIDs in
 *       sequences, Frame of Reference, the file meta information's Media Storage SOP Instance UID). For a
 *       sequence ({@code X/Z/U*}) the sequence is kept and its items are de-identified with the table.</li>
 *   <li><b>C</b> of Modified Dates: DA values and the date of DT values shifted by
 *       {@link DeidentificationKeys#dateShiftDays()} days; TM values, the time and UTC offset of DT values and
 *       Timezone Offset From UTC kept (a whole-day shift keeps them consistent). A value that is no full date, or
 *       not a DA/DT/TM at all (OB timestamps), gets the Basic Profile's action. Dates the table does not list are
 *       shifted too with this option, so no kept original date can reveal the shift.</li>
 *   <li><b>C</b> of Clean Descriptors: the text goes through the {@link DescriptorCleaner}; when it finds no safe
 *       value (the default cleaner never does), or for sequences and binary values, the Basic Profile's
 *       action applies.</li>
 *   <li>Combined codes ({@code X/Z}, {@code X/D}, {@code Z/D}, {@code X/Z/D}, {@code X/Z/U*}): see
 *       {@link Action}.</li>
 *   <li>Patient ID and Patient's Name: {@link DeidentificationKeys#patientPseudonym()} (added when absent).</li>
 *   <li>Standard attributes not in the table: kept (sequences: their items de-identified).</li>
 * </ul>
 * Added: Patient Identity Removed {@code YES}, De-identification Method and its Code Sequence (DCM 113100, plus
 * 113107 and 113105 for the options), Longitudinal Temporal Information Modified ({@code MODIFIED} with the
 * dates option, else {@code REMOVED}). The file meta information is new (Media Storage SOP Instance UID = the new
 * SOP Instance UID); the transfer syntax is kept (big endian input is written as explicit VR little endian).
 *
 * <p>Streaming: one instance at a time; values of 1 MiB and more (pixel data, fragments) are spooled to a
 * temporary directory while reading, copied byte for byte to the output and deleted before returning. Pixel data
 * is not inspected: instances with burned-in annotation must be kept out before (the validation gate).
 *
 * <p>Errors: malformed input gives {@link DicomParseException} before anything is written. An exception while
 * writing leaves a partial output: the caller discards it; only a returned {@link DeidentifiedInstance} means
 * the output is complete. Thread-safe; {@code keys} may differ per call.
 */
public final class Deidentifier {
    private static final String METHOD_BASIC = "113100";
    private static final String METHOD_CLEAN_DESCRIPTORS = "113105";
    private static final String METHOD_MODIFIED_DATES = "113107";

    private final ConfidentialityProfile profile;
    private final DeidentificationOptions options;
    private final DescriptorCleaner cleaner;
    private final Path spoolParent;

    public Deidentifier(ConfidentialityProfile profile, DeidentificationOptions options) {
        this(profile, options, DescriptorCleaner.removeAll());
    }

    public Deidentifier(ConfidentialityProfile profile, DeidentificationOptions options, DescriptorCleaner cleaner) {
        this(profile, options, cleaner, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** With the directory under which each call spools its large values (a fresh sub-directory per call). */
    public Deidentifier(ConfidentialityProfile profile, DeidentificationOptions options, DescriptorCleaner cleaner,
                        Path spoolParent) {
        this.profile = profile;
        this.options = options;
        this.cleaner = cleaner;
        this.spoolParent = spoolParent;
    }

    /** Reads one PS3.10 instance, writes its de-identified PS3.10 form; pixel data is spooled/streamed, never whole in memory. */
    public DeidentifiedInstance deidentify(InputStream ps10, DeidentificationKeys keys, OutputStream out)
            throws IOException {
        Path spool = Files.createTempDirectory(spoolParent, "deid");
        try {
            DicomFile in = DicomFile.read(ps10, spool, false); // deleted below, not kept for JVM exit
            Attributes ds = in.dataset();
            String sopClass = ds.getString(Tag.SOPClassUID);
            if (sopClass == null || ds.getString(Tag.SOPInstanceUID) == null) {
                throw new DicomParseException("not a composite instance: no SOP Class UID or SOP Instance UID");
            }
            ProfileApplier applier = new ProfileApplier(profile, options, cleaner, keys);
            applier.apply(ds);
            mark(ds, applier.pseudonym());
            TransferSyntax ts = in.transferSyntax();
            String tsUid = ts.writable() ? ts.uid() : TransferSyntax.EXPLICIT_VR_LE.uid();
            String sopInstance = ds.getString(Tag.SOPInstanceUID);
            Attributes meta = DicomFile.createFileMeta(sopClass, sopInstance, tsUid);
            Counting counting = new Counting(out);
            new DicomFile(meta, ds).write(counting);
            return new DeidentifiedInstance(ds.getString(Tag.StudyInstanceUID), ds.getString(Tag.SeriesInstanceUID),
                    sopInstance, sopClass, tsUid, counting.count);
        } finally {
            deleteTree(spool);
        }
    }

    private void mark(Attributes ds, String pseudonym) {
        ds.setString(Tag.PatientName, VR.PN, pseudonym);
        ds.setString(Tag.PatientID, VR.LO, pseudonym);
        ds.setString(Tag.PatientIdentityRemoved, VR.CS, "YES");
        StringBuilder method = new StringBuilder("PS3.15 E.1 Basic Profile");
        Sequence codes = ds.newSequence(Tag.DeidentificationMethodCodeSequence);
        code(codes, METHOD_BASIC, "Basic Application Confidentiality Profile");
        if (options.retainLongitudinalModifiedDates()) {
            code(codes, METHOD_MODIFIED_DATES, "Retain Longitudinal Temporal Information Modified Dates Option");
            method.append(" + Modified Dates");
        }
        if (options.cleanDescriptors()) {
            code(codes, METHOD_CLEAN_DESCRIPTORS, "Clean Descriptors Option");
            method.append(" + Clean Descriptors");
        }
        ds.setString(Tag.DeidentificationMethod, VR.LO, method.toString());
        ds.setString(Tag.LongitudinalTemporalInformationModified, VR.CS,
                options.retainLongitudinalModifiedDates() ? "MODIFIED" : "REMOVED");
    }

    private static void code(Sequence codes, String value, String meaning) {
        Attributes item = codes.addItem();
        item.setString(Tag.CodeValue, VR.SH, value);
        item.setString(Tag.CodingSchemeDesignator, VR.SH, "DCM");
        item.setString(Tag.CodeMeaning, VR.LO, meaning);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
        } catch (UncheckedIOException ex) {
            throw ex.getCause();
        }
    }

    private static final class Counting extends FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void close() throws IOException {
            flush(); // the caller's stream stays open
        }
    }
}
