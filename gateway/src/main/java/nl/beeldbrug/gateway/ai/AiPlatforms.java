package nl.beeldbrug.gateway.ai;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import nl.beeldbrug.registry.ai.PlatformKey;
import nl.beeldbrug.registry.ai.PlatformPseudonyms;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import nl.beeldbrug.registry.consent.Ura;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured AI platforms ({@code beeldbrug.ai.platforms}), each with the pseudonyms of its own key. Keys are read
 * at start from the files the configuration names (outside the repository); a missing, unreadable or short key stops
 * the start with a message naming the platform and the file, never the key.
 */
public final class AiPlatforms {

    private static final Logger LOG = LoggerFactory.getLogger(AiPlatforms.class);

    private final Map<Ura, AiPlatform> platforms = new LinkedHashMap<>();
    private final Map<Ura, Set<PurposeOfUse>> purposes = new LinkedHashMap<>();

    public AiPlatforms(AiProperties properties) {
        List<AiProperties.Platform> configured = properties.platforms();
        for (int i = 0; i < configured.size(); i++) {
            AiProperties.Platform p = configured.get(i);
            String where = "beeldbrug.ai.platforms[" + i + "]";
            Ura ura;
            try {
                ura = Ura.of(p.ura());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(where + ".ura: an AI platform needs its URA (eight digits)");
            }
            if (platforms.containsKey(ura)) {
                throw new IllegalStateException(where + ": " + ura + " is configured twice");
            }
            PlatformKey key = key(where, ura, p.keyFile(), properties);
            platforms.put(ura, new AiPlatform(ura, p.name() == null ? ura.value() : p.name(), new PlatformPseudonyms(key)));
            purposes.put(ura, purposes(where, p.purposes()));
        }
    }

    /** The platforms from these already built ones (tests). */
    public static AiPlatforms of(AiPlatform... platforms) {
        AiPlatforms result = new AiPlatforms(new AiProperties(List.of(), false, Path.of("unused"), null));
        for (AiPlatform platform : platforms) {
            result.platforms.put(platform.ura(), platform);
            result.purposes.put(platform.ura(), Set.of(PurposeOfUse.AI));
        }
        return result;
    }

    public Optional<AiPlatform> byUra(Ura ura) {
        return Optional.ofNullable(platforms.get(ura));
    }

    /** The purposes a platform may ask with (empty for an unknown URA). */
    public Set<PurposeOfUse> purposesOf(Ura ura) {
        return purposes.getOrDefault(ura, Set.of());
    }

    public List<AiPlatform> all() {
        return List.copyOf(platforms.values());
    }

    private static Set<PurposeOfUse> purposes(String where, List<String> codes) {
        EnumSet<PurposeOfUse> result = EnumSet.noneOf(PurposeOfUse.class);
        for (String code : codes == null || codes.isEmpty() ? List.of("AI") : codes) {
            PurposeOfUse purpose;
            try {
                purpose = PurposeOfUse.fromCode(code);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(where + ".purposes: unknown purpose " + code);
            }
            if (!purpose.isSecondaryUse()) {
                throw new IllegalStateException(where + ".purposes: an AI platform asks for secondary use only (AI, RESEARCH), not "
                        + code);
            }
            result.add(purpose);
        }
        return Set.copyOf(result);
    }

    private static PlatformKey key(String where, Ura ura, Path keyFile, AiProperties properties) {
        Path file = keyFile;
        if (file == null) {
            if (!properties.generateMissingKeys()) {
                throw new IllegalStateException(where + ".key-file is required: the AI platform " + ura.value()
                        + " needs its pseudonymisation key (a file outside the repository, at least "
                        + PlatformKey.MIN_BYTES + " bytes, base64 or raw)");
            }
            file = generated(properties.keyDirectory(), ura);
        }
        try {
            return PlatformKey.read(file);
        } catch (UncheckedIOException e) {
            throw new IllegalStateException(where + ".key-file: cannot read the key of AI platform " + ura.value()
                    + " from " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + ".key-file: " + e.getMessage(), e);
        }
    }

    /** Development and demo: a random key kept at {@code <directory>/<ura>.key}, created once (owner-only when possible). */
    private static Path generated(Path directory, Ura ura) {
        Path file = directory.resolve(ura.value() + ".key");
        if (Files.exists(file)) {
            return file;
        }
        byte[] secret = new byte[PlatformKey.MIN_BYTES];
        new SecureRandom().nextBytes(secret);
        try {
            Files.createDirectories(directory);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, Base64.getEncoder().encodeToString(secret) + "\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.TRUNCATE_EXISTING);
            LOG.warn("Generated a development pseudonymisation key for AI platform {} at {} (beeldbrug.ai.generate-missing-keys;"
                    + " configure key-file in production)", ura.value(), file);
        } catch (FileAlreadyExistsException e) {
            return file; // another start created it meanwhile
        } catch (IOException e) {
            throw new IllegalStateException("cannot generate the AI platform key " + file, e);
        }
        return file;
    }
}
