package nl.beeldbrug.gateway.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import nl.beeldbrug.gateway.bridge.BridgeProperties;
import nl.beeldbrug.gateway.consent.ConsentProperties;
import nl.beeldbrug.gateway.consent.OrganisationDirectory;
import nl.beeldbrug.registry.consent.OrganisationType;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import nl.beeldbrug.registry.consent.RequestContext;
import nl.beeldbrug.registry.consent.Ura;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AiPlatformsTest {

    private static final Ura PLATFORM = Ura.of("90000001");

    @TempDir
    Path dir;

    private Path keyFile(String name, int bytes) throws Exception {
        Path file = dir.resolve(name);
        byte[] secret = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            secret[i] = (byte) (i + name.length());
        }
        Files.writeString(file, Base64.getEncoder().encodeToString(secret));
        return file;
    }

    private AiProperties properties(Path keyFile, boolean generate) {
        return new AiProperties(List.of(new AiProperties.Platform(PLATFORM.value(), "Model Lab", keyFile, List.of("AI"))),
                generate, dir.resolve("generated"), new AiProperties.Validation(List.of()));
    }

    @Test
    void readsEachPlatformsKey() throws Exception {
        AiPlatforms platforms = new AiPlatforms(properties(keyFile("lab.key", 32), false));
        assertThat(platforms.byUra(PLATFORM)).map(AiPlatform::name).contains("Model Lab");
        assertThat(platforms.byUra(Ura.of("12345678"))).isEmpty();
    }

    @Test
    void aMissingOrShortKeyStopsTheStartNamingThePlatformAndFile() throws Exception {
        assertThatThrownBy(() -> new AiPlatforms(properties(null, false))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("beeldbrug.ai.platforms[0].key-file is required").hasMessageContaining("90000001");
        assertThatThrownBy(() -> new AiPlatforms(properties(dir.resolve("absent.key"), false)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("absent.key");
        Path shortKey = keyFile("short.key", 16);
        assertThatThrownBy(() -> new AiPlatforms(properties(shortKey, false)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("shorter than 32 bytes");
    }

    @Test
    void developmentKeysAreGeneratedOnceUnderTheKeyDirectory() {
        AiPlatforms first = new AiPlatforms(properties(null, true));
        Path generated = dir.resolve("generated").resolve("90000001.key");
        assertThat(generated).exists();
        AiPlatforms second = new AiPlatforms(properties(null, true));
        assertThat(second.byUra(PLATFORM).orElseThrow().pseudonyms().uid("1.2.3"))
                .isEqualTo(first.byUra(PLATFORM).orElseThrow().pseudonyms().uid("1.2.3"));
    }

    @Test
    void platformsAreAiPlatformsInTheDirectory() throws Exception {
        OrganisationDirectory directory = new OrganisationDirectory(
                new ConsentProperties("LOCAL", "PERMIT", List.of(), "hospital"),
                new BridgeProperties("BEELDBRUG", 0, List.of(), "0.0.0.0", 0), List.of(PLATFORM));
        assertThat(directory.typeOf(PLATFORM)).isEqualTo(OrganisationType.AI_PLATFORM);
        assertThat(directory.typeOf(Ura.of("12345678"))).isEqualTo(OrganisationType.HOSPITAL);
    }

    @Test
    void accessNeedsAConfiguredAiPlatformAskingForAi() throws Exception {
        AiAccess access = new AiAccess(new AiPlatforms(properties(keyFile("lab.key", 32), false)));
        Instant now = Instant.now();
        assertThat(access.require(new RequestContext(PLATFORM, OrganisationType.AI_PLATFORM, null, "svc", PurposeOfUse.AI, now)).ura())
                .isEqualTo(PLATFORM);
        assertThatThrownBy(() -> access.require(new RequestContext(PLATFORM, OrganisationType.AI_PLATFORM, null, "svc",
                PurposeOfUse.TREAT, now))).isInstanceOf(AiAccessDenied.class);
        assertThatThrownBy(() -> access.require(new RequestContext(Ura.of("12345678"), OrganisationType.HOSPITAL, null, "dr",
                PurposeOfUse.AI, now))).isInstanceOf(AiAccessDenied.class);
        assertThatThrownBy(() -> access.require(new RequestContext(PLATFORM, OrganisationType.HOSPITAL, null, "svc",
                PurposeOfUse.AI, now))).isInstanceOf(AiAccessDenied.class);
    }
}
