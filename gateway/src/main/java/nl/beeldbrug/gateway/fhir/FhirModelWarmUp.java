package nl.beeldbrug.gateway.fhir;

import ca.uhn.fhir.context.FhirContext;

/**
 * Starts HAPI's first R4 model scan (the context's resource index and ImagingStudy's definition with the types it
 * references: seconds of reflection) on a background thread while the rest of the application starts, instead of on
 * the main thread when the FHIR servlet registers its providers. The
 * shared context ({@link FhirContext#forR4Cached()}) initialises under its own lock, so the servlet waits for a scan
 * still running and never sees half a model; readiness still comes only after the servlet is initialised.
 */
public final class FhirModelWarmUp {

    private FhirModelWarmUp() {
    }

    public static void start() {
        Thread thread = new Thread(() -> {
            try {
                FhirContext.forR4Cached().getResourceDefinition("ImagingStudy");
            } catch (RuntimeException | LinkageError e) {
                // only a head start: the servlet's own initialisation reports what is wrong
            }
        }, "fhir-model-warm-up");
        thread.setDaemon(true);
        thread.start();
    }
}
