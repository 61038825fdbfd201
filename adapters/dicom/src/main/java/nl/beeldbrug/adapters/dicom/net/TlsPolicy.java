package nl.beeldbrug.adapters.dicom.net;

import java.util.Arrays;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * DICOM TLS (PS3.15 B.9 / BCP 195): TLS 1.3 and 1.2 only, forward-secret AEAD cipher suites only, and the peer
 * must present a certificate (mutual TLS) on the server side.
 */
final class TlsPolicy {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private TlsPolicy() {
    }

    static void apply(SSLSocket s) {
        s.setEnabledProtocols(PROTOCOLS);
        s.setEnabledCipherSuites(modern(s.getSupportedCipherSuites()));
    }

    static void apply(SSLServerSocket s) {
        s.setEnabledProtocols(PROTOCOLS);
        s.setEnabledCipherSuites(modern(s.getSupportedCipherSuites()));
        SSLParameters p = s.getSSLParameters();
        p.setNeedClientAuth(true);
        s.setSSLParameters(p);
    }

    static String[] modern(String[] supported) {
        return Arrays.stream(supported)
                .filter(c -> c.startsWith("TLS_AES_") || c.startsWith("TLS_CHACHA20_")
                        || (c.startsWith("TLS_ECDHE_") && (c.contains("_GCM_") || c.contains("CHACHA20"))))
                .toArray(String[]::new);
    }
}
