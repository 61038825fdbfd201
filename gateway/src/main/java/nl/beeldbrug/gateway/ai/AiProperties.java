package nl.beeldbrug.gateway.ai;

import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * AI platforms as clients (issue 7), under {@code beeldbrug.ai.*}. None by default.
 *
 * @param platforms           the AI platforms; each is registered in the organisation directory as {@code ai-platform}
 * @param generateMissingKeys development and demo only: a platform without {@code key-file} gets a random key generated
 *                            at first start under {@code keyDirectory} ({@code <ura>.key}); off in production, where a
 *                            platform without a key file stops the start
 * @param keyDirectory        where generated keys are kept (under the data directory, never in the repository)
 * @param validation          the validation gate's configurable extra rules
 */
@ConfigurationProperties("beeldbrug.ai")
public record AiProperties(@DefaultValue List<Platform> platforms,
                           @DefaultValue("false") boolean generateMissingKeys,
                           @DefaultValue("data/ai-keys") Path keyDirectory,
                           @DefaultValue Validation validation) {

    /**
     * One AI platform.
     *
     * @param ura      its URA (eight digits), as in its certificate or token
     * @param name     its name
     * @param keyFile  its pseudonymisation key: a file outside the repository, base64 text or raw bytes, ≥ 32 bytes
     * @param purposes the purposes of use it may ask with ({@code AI}, {@code RESEARCH}); default {@code AI}
     */
    public record Platform(String ura, String name, Path keyFile, @DefaultValue("AI") List<String> purposes) {
    }

    /** The gate's extra rules. */
    public record Validation(@DefaultValue List<Rule> rules) {
    }

    /**
     * An extra rule over one attribute of every instance: its value must match {@code required} (when set; an absent
     * attribute fails it) and must not match {@code forbidden} (when set). A failing study is EXCLUDED with {@code code}.
     *
     * @param tag  the attribute as 8 hex digits ({@code 00080070}) or {@code (0008,0070)}
     */
    public record Rule(String code, String tag, String required, String forbidden, String description) {
    }
}
