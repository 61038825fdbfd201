package nl.beeldbrug.registry.xds;

import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorInfo;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Severity;

import java.util.List;

/**
 * A request the registry refuses, carrying entries of the XDS error catalogue (ITI TF-3 4.2.4.1).
 * Only the gateway edge turns it into a RegistryResponse; messages never contain patient data.
 */
public class XdsException extends RuntimeException {

    private final transient List<ErrorInfo> errors;

    public XdsException(ErrorCode code, String message, String location) {
        super(code.getOpcode() + ": " + message);
        this.errors = List.of(new ErrorInfo(code, message, Severity.ERROR, location, null));
    }

    public XdsException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public XdsException(List<ErrorInfo> errors) {
        super(errors.isEmpty() ? "XDS error" : errors.get(0).getErrorCode().getOpcode() + ": " + errors.get(0).getCodeContext());
        this.errors = List.copyOf(errors);
    }

    public List<ErrorInfo> errors() {
        return errors;
    }

    /** The first error's code. */
    public ErrorCode code() {
        return errors.get(0).getErrorCode();
    }
}
