package nl.beeldbrug.adapters.dicomweb;

import java.util.List;

/** STOW-RS outcome (PS3.18 10.5.3): HTTP status and the SOP Instance UIDs stored and failed. */
public record StowResult(int httpStatus, List<String> stored, List<String> failed) {
    public boolean success() {
        return httpStatus == 200 && failed.isEmpty();
    }
}
