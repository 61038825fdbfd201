package nl.beeldbrug.registry.consent.identity;

import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.consent.identity.CertificateRejectedException.Reason;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;

import javax.security.auth.x500.X500Principal;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Checks the certificate chain a client presents over mutual TLS and names the organisation (URA) it
 * identifies: the chain must lead to a configured trust anchor (PKIX, at the clock's time), no certificate
 * in it may be expired, not yet valid or listed in a configured CRL of its issuer (CRL signatures are
 * verified; a CRL past its nextUpdate does not count), and the organisation comes from the UZI
 * register's subjectAltName otherName ({@link UziCertificateName}) or, for certificates without it, from
 * a configured subject → URA mapping. When both exist they must agree. An extended key usage, when
 * present, must allow TLS client authentication.
 * <p>
 * With {@code requireCrl} (the default) a chain whose issuers have no current CRL is refused
 * ({@link Reason#REVOCATION_UNKNOWN}): revocation status unknown fails closed.
 */
public final class CertificateChecker {

    private final Set<TrustAnchor> anchors;
    private final List<X509Certificate> anchorCertificates;
    private final List<X509CRL> crls;
    private final Map<String, Ura> subjectToUra;
    private final Clock clock;
    private final boolean requireCrl;

    /**
     * @param trustAnchors  the CA certificates client chains must lead to (e.g. UZI-register Private Server CA roots)
     * @param crls          the CRLs of the CAs (refreshed by whoever builds a new checker)
     * @param subjectToUra  subject distinguished name (any RFC 2253 spelling) → URA, for certificates without the UZI otherName
     * @param clock         the time certificates and CRLs are judged at
     * @param requireCrl    refuse chains whose issuers have no current CRL
     */
    public CertificateChecker(Collection<X509Certificate> trustAnchors, Collection<X509CRL> crls,
                              Map<String, Ura> subjectToUra, Clock clock, boolean requireCrl) {
        if (trustAnchors.isEmpty()) {
            throw new IllegalArgumentException("at least one trust anchor is needed");
        }
        this.anchorCertificates = List.copyOf(trustAnchors);
        Set<TrustAnchor> set = new HashSet<>();
        for (X509Certificate anchor : trustAnchors) {
            set.add(new TrustAnchor(anchor, null));
        }
        this.anchors = Set.copyOf(set);
        this.crls = List.copyOf(crls);
        Map<String, Ura> mapping = new HashMap<>();
        subjectToUra.forEach((subject, ura) -> mapping.put(canonical(subject), Objects.requireNonNull(ura)));
        this.subjectToUra = Map.copyOf(mapping);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.requireCrl = requireCrl;
    }

    /** A checker from PEM files: trust anchors (one file, one or more certificates) and CRL files. */
    public static CertificateChecker fromPem(Path trustAnchors, List<Path> crlFiles, Map<String, Ura> subjectToUra,
                                             Clock clock, boolean requireCrl) throws IOException {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> anchorList = new ArrayList<>();
            try (InputStream in = Files.newInputStream(trustAnchors)) {
                for (java.security.cert.Certificate c : factory.generateCertificates(in)) {
                    anchorList.add((X509Certificate) c);
                }
            }
            if (anchorList.isEmpty()) {
                throw new IOException("no certificate in " + trustAnchors);
            }
            List<X509CRL> crlList = new ArrayList<>();
            for (Path file : crlFiles) {
                try (InputStream in = Files.newInputStream(file)) {
                    for (java.security.cert.CRL crl : factory.generateCRLs(in)) {
                        crlList.add((X509CRL) crl);
                    }
                }
            }
            return new CertificateChecker(anchorList, crlList, subjectToUra, clock, requireCrl);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read certificates or CRLs: " + e.getMessage(), e);
        }
    }

    /** The trust anchors client chains must lead to (the CA names a TLS server may announce). */
    public List<X509Certificate> trustAnchors() {
        return anchorCertificates;
    }

    /**
     * Checks the chain (end-entity certificate first, as TLS presents it) and names the organisation.
     *
     * @throws CertificateRejectedException with the first reason found
     */
    public OrganisationIdentity check(List<X509Certificate> chain) throws CertificateRejectedException {
        if (chain == null || chain.isEmpty()) {
            throw new CertificateRejectedException(Reason.NO_CERTIFICATE, "no client certificate");
        }
        Instant now = clock.instant();
        List<X509Certificate> path = withoutAnchors(chain);
        if (path.isEmpty()) {
            throw new CertificateRejectedException(Reason.UNTRUSTED, "a trust anchor itself is not a client certificate");
        }
        for (X509Certificate certificate : path) {
            checkDates(certificate, now);
        }
        X509Certificate anchor = validatePath(path, now);
        checkRevocation(path, anchor, now);
        checkClientUsage(path.get(0));
        return identify(path.get(0));
    }

    /** An extended key usage, when present, must allow TLS client authentication (or any purpose). */
    private static void checkClientUsage(X509Certificate certificate) throws CertificateRejectedException {
        List<String> usages;
        try {
            usages = certificate.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new CertificateRejectedException(Reason.NOT_FOR_CLIENT_AUTH, "unreadable extended key usage", e);
        }
        if (usages != null && !usages.contains("1.3.6.1.5.5.7.3.2") && !usages.contains("2.5.29.37.0")) {
            throw new CertificateRejectedException(Reason.NOT_FOR_CLIENT_AUTH,
                    "extended key usage without clientAuth: " + certificate.getSubjectX500Principal().getName());
        }
    }

    private List<X509Certificate> withoutAnchors(List<X509Certificate> chain) {
        List<X509Certificate> path = new ArrayList<>();
        for (X509Certificate certificate : chain) {
            if (!anchorCertificates.contains(certificate)) {
                path.add(certificate);
            }
        }
        return path;
    }

    private static void checkDates(X509Certificate certificate, Instant now) throws CertificateRejectedException {
        try {
            certificate.checkValidity(Date.from(now));
        } catch (CertificateExpiredException e) {
            throw new CertificateRejectedException(Reason.EXPIRED, "expired " + certificate.getNotAfter().toInstant()
                    + ": " + certificate.getSubjectX500Principal().getName());
        } catch (CertificateNotYetValidException e) {
            throw new CertificateRejectedException(Reason.NOT_YET_VALID, "valid from " + certificate.getNotBefore().toInstant()
                    + ": " + certificate.getSubjectX500Principal().getName());
        }
    }

    /** PKIX path validation without revocation (done separately); returns the anchor certificate reached. */
    private X509Certificate validatePath(List<X509Certificate> path, Instant now) throws CertificateRejectedException {
        try {
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(now));
            var result = (java.security.cert.PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX")
                    .validate(certPath, parameters);
            return result.getTrustAnchor().getTrustedCert();
        } catch (CertPathValidatorException e) {
            throw new CertificateRejectedException(Reason.UNTRUSTED, "does not chain to a trust anchor: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new CertificateRejectedException(Reason.UNTRUSTED, "cannot validate the chain: " + e.getMessage(), e);
        }
    }

    private void checkRevocation(List<X509Certificate> path, X509Certificate anchor, Instant now)
            throws CertificateRejectedException {
        for (int i = 0; i < path.size(); i++) {
            X509Certificate certificate = path.get(i);
            X509Certificate issuer = i + 1 < path.size() ? path.get(i + 1) : anchor;
            boolean covered = false;
            for (X509CRL crl : crls) {
                if (!crl.getIssuerX500Principal().equals(certificate.getIssuerX500Principal())
                        || !signedBy(crl, issuer.getPublicKey()) || !current(crl, now)) {
                    continue;
                }
                covered = true;
                if (crl.isRevoked(certificate)) {
                    throw new CertificateRejectedException(Reason.REVOKED, "serial " + certificate.getSerialNumber().toString(16)
                            + " revoked by " + crl.getIssuerX500Principal().getName());
                }
            }
            if (!covered && requireCrl) {
                throw new CertificateRejectedException(Reason.REVOCATION_UNKNOWN,
                        "no current CRL of " + certificate.getIssuerX500Principal().getName());
            }
        }
    }

    private static boolean signedBy(X509CRL crl, PublicKey key) {
        try {
            crl.verify(key);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean current(X509CRL crl, Instant now) {
        return !crl.getThisUpdate().toInstant().isAfter(now)
                && (crl.getNextUpdate() == null || crl.getNextUpdate().toInstant().isAfter(now));
    }

    private OrganisationIdentity identify(X509Certificate certificate) throws CertificateRejectedException {
        String subject = certificate.getSubjectX500Principal().getName();
        Optional<UziCertificateName> uzi = uziName(certificate);
        Ura mapped = subjectToUra.get(certificate.getSubjectX500Principal().getName(X500Principal.CANONICAL));
        if (uzi.isPresent()) {
            Ura fromCertificate = Ura.of(uzi.get().subscriberNumber());
            if (mapped != null && !mapped.equals(fromCertificate)) {
                throw new CertificateRejectedException(Reason.ORGANISATION_MISMATCH,
                        "certificate names " + fromCertificate + ", configuration " + mapped + " for " + subject);
            }
            return new OrganisationIdentity(fromCertificate, OrganisationIdentity.Source.UZI_CERTIFICATE, uzi.get(), subject, certificate);
        }
        if (mapped != null) {
            return new OrganisationIdentity(mapped, OrganisationIdentity.Source.CONFIGURED_MAPPING, null, subject, certificate);
        }
        throw new CertificateRejectedException(Reason.NO_ORGANISATION, "no UZI otherName and no configured URA for " + subject);
    }

    /** The UZI otherName of a certificate, if it has one in the UZI form. */
    public static Optional<UziCertificateName> uziName(X509Certificate certificate) {
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
        if (names == null) {
            return Optional.empty();
        }
        for (List<?> name : names) {
            if (Integer.valueOf(0).equals(name.get(0)) && name.get(1) instanceof byte[] der) {
                Optional<UziCertificateName> parsed = otherNameValue(der).flatMap(UziCertificateName::parse);
                if (parsed.isPresent()) {
                    return parsed;
                }
            }
        }
        return Optional.empty();
    }

    /** The string value of an otherName of type 2.5.5.5 (the JDK hands over its DER, tagged [0] or not). */
    private static Optional<String> otherNameValue(byte[] der) {
        try {
            ASN1Primitive primitive = ASN1Primitive.fromByteArray(der);
            if (primitive instanceof ASN1TaggedObject tagged) {
                primitive = tagged.getBaseObject().toASN1Primitive();
            }
            ASN1Sequence sequence = ASN1Sequence.getInstance(primitive);
            if (sequence.size() != 2 || !UziCertificateName.OTHER_NAME_TYPE.equals(
                    ASN1ObjectIdentifier.getInstance(sequence.getObjectAt(0)).getId())) {
                return Optional.empty();
            }
            ASN1Encodable value = ASN1TaggedObject.getInstance(sequence.getObjectAt(1)).getBaseObject();
            if (value instanceof ASN1TaggedObject inner) {
                value = inner.getBaseObject();
            }
            return value instanceof ASN1String string ? Optional.of(string.getString()) : Optional.empty();
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    private static String canonical(String subject) {
        return new X500Principal(subject).getName(X500Principal.CANONICAL);
    }
}
