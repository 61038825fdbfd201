package nl.beeldbrug.adapters.mitz;

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
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The mutual-TLS context of the Mitz client from PEM files: this organisation's UZI server certificate
 * chain and key, and the trust anchors Mitz's server certificate must chain to. (The same approach as
 * adapters/dicom's TlsContexts; adapters do not depend on each other.)
 */
public final class MitzTls {

    private MitzTls() {
    }

    public static SSLContext fromPem(Path certificateChain, Path privateKey, Path trustAnchors) throws IOException {
        List<X509Certificate> chain = certificates(certificateChain);
        List<X509Certificate> anchors = certificates(trustAnchors);
        if (chain.isEmpty() || anchors.isEmpty()) {
            throw new IOException("no certificate in " + (chain.isEmpty() ? certificateChain : trustAnchors));
        }
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", privateKey(privateKey), new char[0], chain.toArray(X509Certificate[]::new));
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
            throw new IOException("cannot build the Mitz TLS context: " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> certificates(Path pem) throws IOException {
        List<X509Certificate> result = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader reader = Files.newBufferedReader(pem); PEMParser parser = new PEMParser(reader)) {
            Object object;
            while ((object = parser.readObject()) != null) {
                if (object instanceof X509CertificateHolder holder) {
                    result.add(converter.getCertificate(holder));
                }
            }
        } catch (CertificateException e) {
            throw new IOException("not a valid certificate in " + pem, e);
        }
        return result;
    }

    private static PrivateKey privateKey(Path pem) throws IOException {
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
