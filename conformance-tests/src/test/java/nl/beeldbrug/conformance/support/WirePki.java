package nl.beeldbrug.conformance.support;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * A throw-away PKI for the secure-mode wire tests, written as PEM files the gateway is started with: a root
 * and an intermediate CA (trusted), a foreign root + intermediate (not trusted), server and client
 * certificates (the client ones with the UZI otherName carrying a URA), and the CRLs. The conformance tests
 * depend on no project module, so this is their own small copy of what the registry's test PKI does.
 */
public final class WirePki {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A certificate with its key and chain (end entity first, without the root). */
    public record Issued(KeyPair keys, X509Certificate certificate, List<X509Certificate> chain, Path keyPem, Path chainPem) {
    }

    private final Path directory;
    private final Issued root;
    private final Issued intermediate;
    private final Issued foreignIntermediate;
    private final List<BigInteger> revoked = new ArrayList<>();
    private long uziNumber = 20_000_000L;

    public WirePki(Path directory) {
        try {
            this.directory = Files.createDirectories(directory);
            this.root = ca("root", null);
            this.intermediate = ca("intermediate", root);
            Issued foreignRoot = ca("foreign-root", null);
            this.foreignIntermediate = ca("foreign-intermediate", foreignRoot);
        } catch (Exception e) {
            throw new IllegalStateException("cannot make the test PKI", e);
        }
    }

    public X509Certificate rootCertificate() {
        return root.certificate();
    }

    public Path trustAnchorPem() {
        Path file = directory.resolve("trust-anchors.pem");
        write(file, List.of(root.certificate()));
        return file;
    }

    public Issued server(String name) {
        return leaf(name, null, intermediate, Instant.now().minus(1, ChronoUnit.HOURS), Instant.now().plus(1, ChronoUnit.DAYS),
                KeyPurposeId.id_kp_serverAuth);
    }

    public Issued client(String name, String ura) {
        return leaf(name, ura, intermediate, Instant.now().minus(1, ChronoUnit.HOURS), Instant.now().plus(1, ChronoUnit.DAYS),
                KeyPurposeId.id_kp_clientAuth);
    }

    public Issued expiredClient(String name, String ura) {
        return leaf(name, ura, intermediate, Instant.now().minus(2, ChronoUnit.DAYS), Instant.now().minus(1, ChronoUnit.HOURS),
                KeyPurposeId.id_kp_clientAuth);
    }

    public Issued foreignClient(String name, String ura) {
        return leaf(name, ura, foreignIntermediate, Instant.now().minus(1, ChronoUnit.HOURS), Instant.now().plus(1, ChronoUnit.DAYS),
                KeyPurposeId.id_kp_clientAuth);
    }

    /** Right CA, right URA, but an extended key usage for TLS servers only. */
    public Issued serverOnlyClient(String name, String ura) {
        return leaf(name, ura, intermediate, Instant.now().minus(1, ChronoUnit.HOURS), Instant.now().plus(1, ChronoUnit.DAYS),
                KeyPurposeId.id_kp_serverAuth);
    }

    /** Lists the (intermediate-issued) certificate in the next {@link #crlPem()}. */
    public void revoke(Issued issued) {
        revoked.add(issued.certificate().getSerialNumber());
    }

    /** The CRLs of the root (empty) and of the intermediate (with the revoked serials), valid for a day. */
    public Path crlPem() {
        Path file = directory.resolve("crls.pem");
        write(file, List.of(crl(root, List.of()), crl(intermediate, revoked)));
        return file;
    }

    /** Client side: presents {@code identity} (null: none) whatever CA names the server announces; trusts the root. */
    public SSLContext clientContext(Issued identity) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("root", root.certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(identity == null ? null : new KeyManager[]{new Presenting(identity)}, tmf.getTrustManagers(), RANDOM);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Issued ca(String name, Issued parent) throws Exception {
        KeyPair keys = keyPair();
        X500Name subject = new X500Name("CN=Wire Test " + name + " CA,O=Beeldbrug Conformance,C=NL");
        X500Name issuer = parent == null ? subject : name(parent.certificate());
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial(),
                Date.from(Instant.now().minus(1, ChronoUnit.DAYS)), Date.from(Instant.now().plus(30, ChronoUnit.DAYS)), subject, keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(parent == null ? 1 : 0));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(b.build(signer(parent == null ? keys : parent.keys())));
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        if (parent != null) {
            chain.addAll(parent.chain());
        }
        return new Issued(keys, certificate, chain, null, null);
    }

    private Issued leaf(String file, String ura, Issued issuer, Instant from, Instant until, KeyPurposeId purpose) {
        try {
            KeyPair keys = keyPair();
            String number = String.valueOf(uziNumber++);
            X500Name subject = new X500Name("CN=" + file + ",O=Beeldbrug Conformance,C=NL,SERIALNUMBER=" + number);
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name(issuer.certificate()), serial(),
                    Date.from(from), Date.from(until), subject, keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            List<GeneralName> names = new ArrayList<>();
            if (ura == null) {
                names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
                names.add(new GeneralName(GeneralName.dNSName, "localhost"));
            } else {
                names.add(new GeneralName(GeneralName.otherName, new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[]{
                        new ASN1ObjectIdentifier("2.5.5.5"), new DERTaggedObject(true, 0, new DERIA5String(
                        "2.16.528.1.1003.1.3.5.5.5-1-" + number + "-S-" + ura + "-00.000-00000000"))})));
            }
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(b.build(signer(issuer.keys())));
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(certificate);
            chain.addAll(issuer.chain());
            chain.remove(chain.size() - 1);
            Path keyPem = directory.resolve(file + ".key.pem");
            Path chainPem = directory.resolve(file + ".chain.pem");
            try (Writer w = Files.newBufferedWriter(keyPem); JcaPEMWriter pem = new JcaPEMWriter(w)) {
                pem.writeObject(new JcaPKCS8Generator(keys.getPrivate(), null));
            }
            write(chainPem, chain);
            return new Issued(keys, certificate, List.copyOf(chain), keyPem, chainPem);
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue " + file, e);
        }
    }

    private static X509CRL crl(Issued ca, List<BigInteger> serials) {
        try {
            X509v2CRLBuilder builder = new X509v2CRLBuilder(name(ca.certificate()), Date.from(Instant.now().minusSeconds(60)));
            builder.setNextUpdate(Date.from(Instant.now().plus(1, ChronoUnit.DAYS)));
            for (BigInteger serial : serials) {
                builder.addCRLEntry(serial, Date.from(Instant.now().minusSeconds(60)), CRLReason.keyCompromise);
            }
            return new JcaX509CRLConverter().getCRL(builder.build(signer(ca.keys())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(Path file, List<?> objects) {
        try (Writer w = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            for (Object o : objects) {
                pem.writeObject(o);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static X500Name name(X509Certificate certificate) {
        return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    }

    private static BigInteger serial() {
        return new BigInteger(63, RANDOM).add(BigInteger.ONE);
    }

    private static KeyPair keyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static ContentSigner signer(KeyPair keys) throws Exception {
        return new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
    }

    /** Offers its one identity to every server. */
    private static final class Presenting extends X509ExtendedKeyManager {
        private final Issued identity;

        Presenting(Issued identity) {
            this.identity = identity;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[]{"me"};
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return "me";
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return "me";
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return identity.chain().toArray(X509Certificate[]::new);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return identity.keys().getPrivate();
        }
    }
}
