package nl.beeldbrug.adapters.dicom.net;

/** A DICOM application entity on the network. */
public record RemoteAe(String aeTitle, String host, int port) {
    public static RemoteAe of(String aeTitle, String host, int port) {
        return new RemoteAe(aeTitle, host, port);
    }
}
