package nl.beeldbrug.registry.xds;

import jakarta.activation.DataHandler;
import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.imaging.ManifestContentReader;
import nl.beeldbrug.registry.imaging.ManifestContents;
import nl.beeldbrug.registry.imaging.StudyAttributes;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Document;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.XDSMetaClass;
import org.openehealth.ipf.commons.ihe.xds.core.requests.DocumentReference;
import org.openehealth.ipf.commons.ihe.xds.core.requests.ProvideAndRegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RetrieveDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorInfo;
import org.openehealth.ipf.commons.ihe.xds.core.responses.RetrievedDocument;
import org.openehealth.ipf.commons.ihe.xds.core.responses.RetrievedDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Severity;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Status;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The document repository, co-located with the registry: ITI-41 Provide and Register Document
 * Set-b (store the bytes, then register, in one transaction) and ITI-43 Retrieve Document Set.
 */
public final class DocumentRepositoryService {

    private final DataSource dataSource;
    private final DocumentRegistryService registry;
    private final String repositoryUniqueId;
    private final long maxDocumentBytes;
    private final ManifestContentReader manifests;
    private final XdsStore store = new XdsStore();

    public DocumentRepositoryService(DataSource dataSource, DocumentRegistryService registry,
                                     String repositoryUniqueId, long maxDocumentBytes) {
        this(dataSource, registry, repositoryUniqueId, maxDocumentBytes, ManifestContentReader.NONE);
    }

    /** @param manifests reads the series and instance counts of a KOS manifest's bytes (the imaging study index) */
    public DocumentRepositoryService(DataSource dataSource, DocumentRegistryService registry,
                                     String repositoryUniqueId, long maxDocumentBytes, ManifestContentReader manifests) {
        this.dataSource = dataSource;
        this.registry = registry;
        this.repositoryUniqueId = repositoryUniqueId;
        this.maxDocumentBytes = maxDocumentBytes;
        this.manifests = manifests;
    }

    public String repositoryUniqueId() {
        return repositoryUniqueId;
    }

    /** ITI-41: every document is stored and registered, or nothing is. */
    public DocumentRegistryService.RegistrationResult provideAndRegister(ProvideAndRegisterDocumentSet request) {
        return Database.inTransaction(dataSource, c -> provideAndRegister(c, request));
    }

    /** ITI-41 within the caller's transaction (see {@link DocumentRegistryService#register(Connection, RegisterDocumentSet)}). */
    public DocumentRegistryService.RegistrationResult provideAndRegister(Connection c, ProvideAndRegisterDocumentSet request)
            throws SQLException {
        List<Content> contents = new ArrayList<>();
        for (Document document : request.getDocuments()) {
            DocumentEntry entry = document.getDocumentEntry();
            if (entry == null) {
                throw new XdsException(ErrorCode.MISSING_DOCUMENT_METADATA, "a document has no document entry");
            }
            byte[] bytes = readBounded(document.getDataHandler(), entry.getUniqueId());
            String hash = sha1(bytes);
            if (entry.getHash() != null && !entry.getHash().equalsIgnoreCase(hash)) {
                throw new XdsException(ErrorCode.REPOSITORY_METADATA_ERROR,
                        "hash in the metadata does not match the document", entry.getUniqueId());
            }
            if (entry.getSize() != null && entry.getSize() != bytes.length) {
                throw new XdsException(ErrorCode.REPOSITORY_METADATA_ERROR,
                        "size in the metadata does not match the document", entry.getUniqueId());
            }
            entry.setHash(hash);
            entry.setSize((long) bytes.length);
            entry.setRepositoryUniqueId(repositoryUniqueId);
            contents.add(new Content(entry.getUniqueId(), entry.getMimeType(), hash, bytes, manifestContents(entry, bytes)));
        }
        RegisterDocumentSet registration = new RegisterDocumentSet();
        registration.setSubmissionSet(request.getSubmissionSet());
        request.getDocuments().forEach(d -> registration.getDocumentEntries().add(d.getDocumentEntry()));
        registration.getFolders().addAll(request.getFolders());
        registration.getAssociations().addAll(request.getAssociations());
        // a retry racing its original waits here, then finds the stored content and registration
        DocumentRegistryService.lockUniqueIds(c, registration);
        for (Content content : contents) {
            store(c, content);
        }
        return registry.register(c, registration, false); // the locks above are held until commit
    }

    /** ITI-43: the requested documents; unknown ones are reported as errors (PartialSuccess). */
    public RetrievedDocumentSet retrieve(RetrieveDocumentSet request) {
        return retrieve(request, ReleaseFilter.ALL);
    }

    /**
     * ITI-43 as the requester of {@code filter} may see the repository: a document whose entry the filter
     * withholds — or whose entry is no longer registered — gets exactly the error of an unknown uniqueId, and a
     * mix is the same PartialSuccess as if it were absent. The consent is asked outside the database read.
     */
    public RetrievedDocumentSet retrieve(RetrieveDocumentSet request, ReleaseFilter filter) {
        Set<String> released = filter == ReleaseFilter.ALL ? null : released(request, filter);
        List<RetrievedDocument> found = new ArrayList<>();
        List<ErrorInfo> errors = new ArrayList<>();
        Database.read(dataSource, c -> {
            for (DocumentReference reference : request.getDocuments()) {
                if (!repositoryUniqueId.equals(reference.getRepositoryUniqueId())) {
                    errors.add(new ErrorInfo(ErrorCode.UNKNOWN_REPOSITORY_ID, "unknown repositoryUniqueId",
                            Severity.ERROR, reference.getRepositoryUniqueId(), null));
                    continue;
                }
                Content content = released == null || released.contains(reference.getDocumentUniqueId())
                        ? load(c, reference.getDocumentUniqueId()) : null;
                if (content == null) {
                    errors.add(new ErrorInfo(ErrorCode.DOCUMENT_UNIQUE_ID_ERROR, "no document with this uniqueId",
                            Severity.ERROR, reference.getDocumentUniqueId(), null));
                    continue;
                }
                RetrievedDocument document = new RetrievedDocument();
                document.setRequestData(reference);
                document.setMimeType(content.mimeType());
                document.setDataHandler(new DataHandler(new BytesDataSource(content.bytes(), content.mimeType())));
                found.add(document);
            }
            return null;
        });
        Status status = errors.isEmpty() ? Status.SUCCESS : found.isEmpty() ? Status.FAILURE : Status.PARTIAL_SUCCESS;
        RetrievedDocumentSet response = new RetrievedDocumentSet(status, found);
        response.getErrors().addAll(errors);
        return response;
    }

    /** The uniqueIds of this repository's requested documents whose (newest) entry the filter releases. */
    private Set<String> released(RetrieveDocumentSet request, ReleaseFilter filter) {
        List<String> uniqueIds = request.getDocuments().stream()
                .filter(r -> repositoryUniqueId.equals(r.getRepositoryUniqueId()))
                .map(DocumentReference::getDocumentUniqueId).distinct().toList();
        List<DocumentEntry> entries = Database.read(dataSource, c -> {
            Map<String, DocumentEntry> newest = new LinkedHashMap<>();
            for (XDSMetaClass object : store.findByUniqueIds(c, XdsStore.Kind.DOCUMENT_ENTRY, uniqueIds)) {
                newest.putIfAbsent(object.getUniqueId(), (DocumentEntry) object);
            }
            return List.copyOf(newest.values());
        });
        Set<String> released = new HashSet<>();
        if (!entries.isEmpty()) {
            filter.permitted(entries).forEach(e -> released.add(e.getUniqueId()));
        }
        return released;
    }

    private record Content(String uniqueId, String mimeType, String hash, byte[] bytes, ManifestContents manifest) {
    }

    /** The series and instances a KOS manifest references, or null (not a manifest, or unreadable: unknown). */
    private ManifestContents manifestContents(DocumentEntry entry, byte[] bytes) {
        if (!StudyAttributes.isManifest(entry)) {
            return null;
        }
        try {
            Optional<ManifestContents> read = manifests.read(bytes, StudyAttributes.of(entry).studyInstanceUid());
            return read == null ? null : read.orElse(null);
        } catch (RuntimeException e) {
            return null; // the counts stay unknown; the manifest is registered as it always was
        }
    }

    private void store(Connection c, Content content) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select hash from document_content where repository_unique_id = ? and document_unique_id = ?")) {
            ps.setString(1, repositoryUniqueId);
            ps.setString(2, content.uniqueId());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    if (rs.getString(1).equalsIgnoreCase(content.hash())) {
                        return; // the same document again: nothing to store
                    }
                    throw new XdsException(ErrorCode.NON_IDENTICAL_HASH,
                            "a document with this uniqueId and different content is already stored", content.uniqueId());
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "insert into document_content (repository_unique_id, document_unique_id, mime_type, hash, size, content,"
                        + " series_count, instance_count, series_uids, series_instances) values (?,?,?,?,?,?,?,?,?,?)")) {
            ps.setString(1, repositoryUniqueId);
            ps.setString(2, content.uniqueId());
            ps.setString(3, content.mimeType() == null ? "application/octet-stream" : content.mimeType());
            ps.setString(4, content.hash());
            ps.setLong(5, content.bytes().length);
            ps.setBytes(6, content.bytes());
            ManifestContents manifest = content.manifest();
            if (manifest == null) {
                ps.setNull(7, Types.INTEGER);
                ps.setNull(8, Types.INTEGER);
                ps.setNull(9, Types.ARRAY);
                ps.setNull(10, Types.ARRAY);
            } else {
                ps.setInt(7, manifest.seriesCount());
                ps.setInt(8, manifest.instanceCount());
                ps.setArray(9, c.createArrayOf("text", manifest.series().stream().map(ManifestContents.Series::uid).toArray()));
                ps.setArray(10, c.createArrayOf("integer", manifest.series().stream().map(ManifestContents.Series::instances).toArray()));
            }
            ps.executeUpdate();
        }
    }

    private Content load(Connection c, String documentUniqueId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select mime_type, hash, content from document_content where repository_unique_id = ? and document_unique_id = ?")) {
            ps.setString(1, repositoryUniqueId);
            ps.setString(2, documentUniqueId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Content(documentUniqueId, rs.getString(1), rs.getString(2), rs.getBytes(3), null) : null;
            }
        }
    }

    private byte[] readBounded(DataHandler handler, String uniqueId) {
        if (handler == null) {
            throw new XdsException(ErrorCode.MISSING_DOCUMENT, "document content is missing", uniqueId);
        }
        try (InputStream in = handler.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > maxDocumentBytes) {
                    throw new XdsException(ErrorCode.REPOSITORY_OUT_OF_RESOURCES,
                            "document exceeds the repository's size limit of " + maxDocumentBytes + " bytes", uniqueId);
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new XdsException(ErrorCode.REPOSITORY_ERROR, "document content could not be read", uniqueId);
        }
    }

    static String sha1(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
