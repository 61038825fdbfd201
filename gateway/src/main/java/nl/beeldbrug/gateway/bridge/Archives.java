package nl.beeldbrug.gateway.bridge;

import nl.beeldbrug.adapters.dicom.net.AssociationConfig;
import nl.beeldbrug.adapters.dicom.net.DicomClient;
import nl.beeldbrug.adapters.dicom.net.RemoteAe;
import nl.beeldbrug.adapters.dicomweb.DicomWebClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@link Archive} of each connected source: DICOMweb when it has a base URL (one HTTP request streams a whole
 * series), else DIMSE with Beeldbrug's AE title.
 */
public final class Archives {

    private final BridgeProperties bridge;
    private final DicomClient dicom;

    public Archives(BridgeProperties bridge, Path spoolDir) {
        this.bridge = bridge;
        try {
            Files.createDirectories(spoolDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the bridge spool directory " + spoolDir, e);
        }
        this.dicom = new DicomClient(AssociationConfig.of(bridge.aeTitle()).withStoreHandler(spoolDir, null));
    }

    /** The archive of the source with this id, when it is configured and reachable by some protocol. */
    public Optional<Archive> of(String sourceId) {
        return bridge.source(sourceId).flatMap(this::of);
    }

    public Optional<Archive> of(BridgeProperties.Source source) {
        if (source.dicomweb() != null && source.dicomweb().baseUrl() != null) {
            return Optional.of(new DicomWebArchive(DicomWebClient.of(source.dicomweb().baseUrl())));
        }
        if (source.dicom() != null && source.dicom().aeTitle() != null && source.dicom().port() > 0) {
            if (source.dicom().tls()) {
                throw new IllegalStateException("source " + source.id() + ": DICOM TLS towards sources is not configured yet");
            }
            return Optional.of(new DimseArchive(dicom,
                    RemoteAe.of(source.dicom().aeTitle(), source.dicom().host(), source.dicom().port())));
        }
        return Optional.empty();
    }
}
