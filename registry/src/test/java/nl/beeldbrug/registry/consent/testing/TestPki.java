package nl.beeldbrug.registry.consent.testing;

import nl.beeldbrug.registry.consent.Ura;
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
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A throw-away PKI for tests of mutual TLS and certificate checking, made with BouncyCastle and written
 * as PEM files (and PKCS#12 key stores on request) into a directory of the test's choosing:
 * <ul>
 *   <li>a root CA and an intermediate CA under it (the "UZI-register"), each with a CRL;</li>
 *   <li>a foreign root CA with its own intermediate (a CA nobody configured);</li>
 *   <li>server certificates for {@code 127.0.0.1}/{@code localhost};</li>
 *   <li>client certificates carrying a URA in the UZI register's subjectAltName otherName (type 2.5.5.5,
 *       {@code 2.16.528.1.1003.1.3.5.5.5-1-<UZI nr>-S-<URA>-00.000-00000000}), or without it;</li>
 *   <li>expired and not-yet-valid ones, and revocation ({@link #revoke}) into the intermediate's CRL.</li>
 * </ul>
 * Lives in the registry's test-jar ({@code beeldbrug-registry:test-jar}, package
 * {@code nl.beeldbrug.registry.consent.testing}) so adapter and gateway tests can use it; they need
 * {@code bcpkix-jdk18on} in test scope as well. EC P-256 keys (fast to make).
 */
public final class TestPki {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key pair and its certificate chain (end entity first, up to but without the root), with their files. */
    public record Issued(String name, KeyPair keys, X509Certificate certificate, List<X509Certificate> chain,
                         Path keyPem, Path certificatePem, Path chainPem) {
        public List<X509Certificate> chainWithRoot(X509Certificate root) {
            List<X509Certificate> all = new ArrayList<>(chain);
            all.add(root);
            return all;
        }
    }

    private final Path directory;
    private final Issued root;
    private final Issued intermediate;
    private final Issued foreignRoot;
    private final Issued foreignIntermediate;
    private final Map<X509Certificate, List<BigInteger>> revoked = new LinkedHashMap<>();
    private long uziNumber = 10_000_000L;

    private TestPki(Path directory) throws GeneralSecurityException, IOException {
        this.directory = directory;
        Instant now = Instant.now();
        this.root = ca("root-ca", "Beeldbrug Test Root CA", null, now);
        this.intermediate = ca("uzi-ca", "Beeldbrug Test UZI Server CA", root, now);
        this.foreignRoot = ca("foreign-root-ca", "Foreign Root CA", null, now);
        this.foreignIntermediate = ca("foreign-ca", "Foreign Server CA", foreignRoot, now);
    }

    /** Makes the CAs and writes their files into {@code directory} (created when missing). */
    public static TestPki create(Path directory) {
        try {
            Files.createDirectories(directory);
            return new TestPki(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path directory() {
        return directory;
    }

    public Issued root() {
        return root;
    }

    public Issued intermediate() {
        return intermediate;
    }

    public Issued foreignRoot() {
        return foreignRoot;
    }

    /** A server certificate for 127.0.0.1 and localhost, issued by the intermediate. */
    public Issued server(String name) {
        return leaf(name, null, true, intermediate, validNow());
    }

    /** A server certificate for 127.0.0.1 and localhost issued by the foreign CA (not trusted by our side). */
    public Issued foreignServer(String name) {
        return leaf(name, null, true, foreignIntermediate, validNow());
    }

    /** A client certificate of the organisation with this URA, in the UZI server certificate profile. */
    public Issued client(String name, Ura ura) {
        return leaf(name, ura, false, intermediate, validNow());
    }

    /** A certificate with the organisation's URA whose extended key usage allows TLS server use only. */
    public Issued serverOnly(String name, Ura ura) {
        return leaf(name, ura, true, intermediate, validNow(), new KeyPurposeId[]{KeyPurposeId.id_kp_serverAuth});
    }

    /** A client certificate without the UZI otherName (identified only by configured mapping). */
    public Issued clientWithoutUzi(String name) {
        return leaf(name, null, false, intermediate, validNow());
    }

    /** A client certificate that expired an hour ago. */
    public Issued expiredClient(String name, Ura ura) {
        Instant now = Instant.now();
        return leaf(name, ura, false, intermediate, new Instant[]{now.minus(2, ChronoUnit.DAYS), now.minus(1, ChronoUnit.HOURS)});
    }

    /** A client certificate that becomes valid tomorrow. */
    public Issued notYetValidClient(String name, Ura ura) {
        Instant now = Instant.now();
        return leaf(name, ura, false, intermediate, new Instant[]{now.plus(1, ChronoUnit.DAYS), now.plus(30, ChronoUnit.DAYS)});
    }

    /** A client certificate of a CA nobody trusts (with a valid-looking UZI otherName). */
    public Issued foreignClient(String name, Ura ura) {
        return leaf(name, ura, false, foreignIntermediate, validNow());
    }

    /** Lists the certificate in its issuer's next CRL ({@link #crlPem}, {@link #crl}). */
    public void revoke(Issued issued) {
        X509Certificate issuer = issued.chain().size() > 1 ? issued.chain().get(1) : root.certificate();
        revoked.computeIfAbsent(issuer, k -> new ArrayList<>()).add(issued.certificate().getSerialNumber());
    }

    /** A fresh CRL of the intermediate CA (valid for a day) with what {@link #revoke} listed. */
    public X509CRL crl() {
        return crl(intermediate, Instant.now().minusSeconds(60), Instant.now().plus(1, ChronoUnit.DAYS));
    }

    /** A fresh CRL of the root CA (it lists revoked intermediates, none unless revoked). */
    public X509CRL rootCrl() {
        return crl(root, Instant.now().minusSeconds(60), Instant.now().plus(1, ChronoUnit.DAYS));
    }

    /** A CRL of the intermediate whose nextUpdate has passed. */
    public X509CRL staleCrl() {
        return crl(intermediate, Instant.now().minus(2, ChronoUnit.DAYS), Instant.now().minus(1, ChronoUnit.DAYS));
    }

    /** A CRL claiming to be the intermediate's but signed by the foreign CA's key. */
    public X509CRL forgedCrl() {
        try {
            X509v2CRLBuilder builder = new X509v2CRLBuilder(name(intermediate.certificate()), Date.from(Instant.now().minusSeconds(60)));
            builder.setNextUpdate(Date.from(Instant.now().plus(1, ChronoUnit.DAYS)));
            return new JcaX509CRLConverter().getCRL(builder.build(signer(foreignIntermediate.keys())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the CRLs of the root and the intermediate to one PEM file. */
    public Path crlPem() {
        Path file = directory.resolve("crls.pem");
        writePem(file, List.of(rootCrl(), crl()));
        return file;
    }

    /** The root CA certificate as a PEM file (the trust anchor). */
    public Path trustAnchorPem() {
        return root.certificatePem();
    }

    /** Writes {@code issued} (key + chain) as a PKCS#12 key store with this password. */
    public Path pkcs12(Issued issued, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(issued.name(), issued.keys().getPrivate(), password, issued.chain().toArray(X509Certificate[]::new));
            Path file = directory.resolve(issued.name() + ".p12");
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An SSLContext presenting {@code identity} (may be null: no client certificate) and trusting {@code anchors}. */
    public static SSLContext sslContext(Issued identity, X509Certificate... anchors) {
        try {
            KeyManagerFactory kmf = null;
            if (identity != null) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("me", identity.keys().getPrivate(), new char[0], identity.chain().toArray(X509Certificate[]::new));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, new char[0]);
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            for (int i = 0; i < anchors.length; i++) {
                trust.setCertificateEntry("anchor-" + i, anchors[i]);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), RANDOM);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the test SSLContext", e);
        }
    }

    /**
     * Like {@link #sslContext}, but the client always presents {@code identity}, whatever CA names the server
     * announces (the JDK's key manager would otherwise send no certificate at all for a foreign-CA identity,
     * and a test could not see the server refuse it).
     */
    public static SSLContext presenting(Issued identity, X509Certificate... anchors) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            for (int i = 0; i < anchors.length; i++) {
                trust.setCertificateEntry("anchor-" + i, anchors[i]);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new javax.net.ssl.KeyManager[]{new AlwaysPresenting(identity)}, tmf.getTrustManagers(), RANDOM);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the test SSLContext", e);
        }
    }

    /** A client key manager with one identity that it offers to every server. */
    private static final class AlwaysPresenting extends javax.net.ssl.X509ExtendedKeyManager {
        private final Issued identity;

        AlwaysPresenting(Issued identity) {
            this.identity = identity;
        }

        @Override
        public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
            return new String[]{"me"};
        }

        @Override
        public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers, java.net.Socket socket) {
            return "me";
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, java.security.Principal[] issuers, javax.net.ssl.SSLEngine engine) {
            return "me";
        }

        @Override
        public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, java.security.Principal[] issuers, java.net.Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return identity.chain().toArray(X509Certificate[]::new);
        }

        @Override
        public java.security.PrivateKey getPrivateKey(String alias) {
            return identity.keys().getPrivate();
        }
    }

    // ---- making certificates

    private static Instant[] validNow() {
        Instant now = Instant.now();
        return new Instant[]{now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.DAYS)};
    }

    private Issued ca(String file, String cn, Issued parent, Instant now) throws GeneralSecurityException, IOException {
        KeyPair keys = keyPair();
        X500Name subject = new X500Name("CN=" + cn + ",O=Beeldbrug Test,C=NL");
        X500Name issuer = parent == null ? subject : name(parent.certificate());
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial(),
                Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(365, ChronoUnit.DAYS)), subject, keys.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(parent == null ? 1 : 0));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
        if (parent != null) {
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(parent.certificate()));
        }
        X509Certificate certificate = sign(b, parent == null ? keys : parent.keys());
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        if (parent != null) {
            chain.addAll(parent.chain());
        }
        return write(file, keys, certificate, chain);
    }

    private Issued leaf(String file, Ura ura, boolean server, Issued issuer, Instant[] validity) {
        return leaf(file, ura, server, issuer, validity,
                new KeyPurposeId[]{KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth});
    }

    private Issued leaf(String file, Ura ura, boolean server, Issued issuer, Instant[] validity, KeyPurposeId[] usages) {
        try {
            KeyPair keys = keyPair();
            String serialNumber = String.valueOf(uziNumber++);
            X500Name subject = new X500Name("CN=" + file + ",O=Beeldbrug Test " + file + ",C=NL,SERIALNUMBER=" + serialNumber);
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name(issuer.certificate()), serial(),
                    Date.from(validity[0]), Date.from(validity[1]), subject, keys.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(usages));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuer.certificate()));
            List<GeneralName> names = new ArrayList<>();
            if (server) {
                names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
                names.add(new GeneralName(GeneralName.dNSName, "localhost"));
            }
            if (ura != null) {
                names.add(uziOtherName("2.16.528.1.1003.1.3.5.5.5-1-" + serialNumber + "-S-" + ura.value() + "-00.000-00000000"));
            }
            if (!names.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            X509Certificate certificate = sign(b, issuer.keys());
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(certificate);
            chain.addAll(issuer.chain());
            chain.remove(chain.size() - 1); // the root is the trust anchor, not sent
            return write(file, keys, certificate, chain);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot issue " + file, e);
        }
    }

    /** The UZI register's otherName: type id 2.5.5.5, value an IA5String, explicitly tagged [0]. */
    public static GeneralName uziOtherName(String value) {
        return new GeneralName(GeneralName.otherName, new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[]{
                new ASN1ObjectIdentifier("2.5.5.5"), new DERTaggedObject(true, 0, new DERIA5String(value))}));
    }

    private X509CRL crl(Issued ca, Instant thisUpdate, Instant nextUpdate) {
        try {
            X509v2CRLBuilder builder = new X509v2CRLBuilder(name(ca.certificate()), Date.from(thisUpdate));
            builder.setNextUpdate(Date.from(nextUpdate));
            for (BigInteger serial : revoked.getOrDefault(ca.certificate(), List.of())) {
                builder.addCRLEntry(serial, Date.from(thisUpdate), CRLReason.keyCompromise);
            }
            return new JcaX509CRLConverter().getCRL(builder.build(signer(ca.keys())));
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a CRL", e);
        }
    }

    private static X500Name name(X509Certificate certificate) {
        return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    }

    private static BigInteger serial() {
        return new BigInteger(63, RANDOM).add(BigInteger.ONE);
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static org.bouncycastle.operator.ContentSigner signer(KeyPair keys) throws Exception {
        return new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, KeyPair signer) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer(signer)));
        } catch (GeneralSecurityException e) {
            throw e;
        } catch (Exception e) {
            throw new GeneralSecurityException(e);
        }
    }

    private Issued write(String file, KeyPair keys, X509Certificate certificate, List<X509Certificate> chain) throws IOException {
        Path key = directory.resolve(file + ".key.pem");
        Path crt = directory.resolve(file + ".crt.pem");
        Path chainFile = directory.resolve(file + ".chain.pem");
        try (Writer w = Files.newBufferedWriter(key); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(new JcaPKCS8Generator(keys.getPrivate(), null));
        }
        writePem(crt, List.of(certificate));
        writePem(chainFile, chain);
        return new Issued(file, keys, certificate, List.copyOf(chain), key, crt, chainFile);
    }

    private static void writePem(Path file, List<?> objects) {
        try (Writer w = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            for (Object o : objects) {
                pem.writeObject(o);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
