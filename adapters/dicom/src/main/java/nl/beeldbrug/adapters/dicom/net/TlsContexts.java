package nl.beeldbrug.adapters.dicom.net;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the {@link SSLContext} of a DICOM TLS node from PEM files, as organisations receive them
 * (UZI server certificates): this node's certificate chain and private key (PKCS#8 or traditional
 * OpenSSL form), and the trust anchors its peers must chain to. BouncyCastle reads the PEM.
 * {@link TlsPolicy} then limits each association to TLS 1.3/1.2 with forward-secret AEAD suites.
 */
public final class TlsContexts {

    private TlsContexts() {
    }

    /** Mutual TLS: present {@code certificateChain} + {@code privateKey}, trust only {@code trustAnchors}. */
    public static SSLContext fromPem(Path certificateChain, Path privateKey, Path trustAnchors) throws IOException {
        List<X509Certificate> chain = certificates(certificateChain);
        if (chain.isEmpty()) {
            throw new IOException("no certificate in " + certificateChain);
        }
        List<X509Certificate> anchors = certificates(trustAnchors);
        if (anchors.isEmpty()) {
            throw new IOException("no trust anchor in " + trustAnchors);
        }
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("node", privateKey(privateKey), new char[0], chain.toArray(X509Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, new char[0]);

            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            for (int i = 0; i < anchors.size(); i++) {
                trust.setCertificateEntry("anchor-" + i, anchors.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);

            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot build a TLS context from " + certificateChain + ": " + e.getMessage(), e);
        }
    }

    /**
     * Present {@code certificateChain} + {@code privateKey}; judge peers with {@code trustManager} (e.g. a
     * registry {@code CertificateTrustManager}, so that DICOM TLS checks clients as the HTTPS endpoints do).
     */
    public static SSLContext fromPem(Path certificateChain, Path privateKey, javax.net.ssl.TrustManager trustManager)
            throws IOException {
        List<X509Certificate> chain = certificates(certificateChain);
        if (chain.isEmpty()) {
            throw new IOException("no certificate in " + certificateChain);
        }
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("node", privateKey(privateKey), new char[0], chain.toArray(X509Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), new javax.net.ssl.TrustManager[]{trustManager}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot build a TLS context from " + certificateChain + ": " + e.getMessage(), e);
        }
    }

    /** The certificates of a PEM file, in file order. */
    public static List<X509Certificate> certificates(Path pem) throws IOException {
        List<X509Certificate> result = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader reader = Files.newBufferedReader(pem); PEMParser parser = new PEMParser(reader)) {
            Object object;
            while ((object = parser.readObject()) != null) {
                if (object instanceof X509CertificateHolder holder) {
                    result.add(converter.getCertificate(holder));
                }
            }
        } catch (java.security.cert.CertificateException e) {
            throw new IOException("not a valid certificate in " + pem, e);
        }
        return result;
    }

    /** The (unencrypted) private key of a PEM file, PKCS#8 or traditional OpenSSL form. */
    public static PrivateKey privateKey(Path pem) throws IOException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader reader = Files.newBufferedReader(pem); PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            throw new IOException("no unencrypted private key in " + pem);
        }
    }
}
