package nl.beeldbrug.gateway.bridge.pix;

import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import org.apache.camel.Exchange;
import org.openehealth.ipf.platform.camel.ihe.core.InterceptorSupport;
import org.openehealth.ipf.platform.camel.ihe.hl7v2.HL7v2Endpoint;
import org.openehealth.ipf.platform.camel.ihe.hl7v2.intercept.consumer.ConsumerRequestInteractionSetterInterceptor;
import org.openehealth.ipf.platform.camel.ihe.mllp.core.intercept.consumer.ConsumerStringProcessingInterceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * Answers an MLLP frame that is no HL7 v2 message at all (no MSH segment) with the transaction's default NAK (AR,
 * error 100). IPF's own consumer chain cannot read such a frame's character set and sends nothing back, leaving
 * the sender waiting; this interceptor runs before that step.
 */
public final class NonHl7FrameInterceptor extends InterceptorSupport {

    private static final Logger log = LoggerFactory.getLogger(NonHl7FrameInterceptor.class);

    public NonHl7FrameInterceptor() {
        addAfter(ConsumerRequestInteractionSetterInterceptor.class.getName());
        addBefore(ConsumerStringProcessingInterceptor.class.getName());
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Object body = exchange.getIn().getBody();
        String start = body instanceof byte[] bytes
                ? new String(bytes, 0, Math.min(bytes.length, 16), StandardCharsets.ISO_8859_1)
                : String.valueOf(body);
        if (isHl7(start)) {
            getWrappedProcessor().process(exchange);
            return;
        }
        log.info("{}: a frame without MSH segment, refused with AR", getEndpoint().getEndpointKey());
        HL7v2Endpoint endpoint = getEndpoint(HL7v2Endpoint.class);
        Message nak = endpoint.getNakFactory().createDefaultNak(
                new HL7Exception("not an HL7 v2 message (no MSH segment)", ErrorCode.SEGMENT_SEQUENCE_ERROR));
        exchange.getMessage().setBody(endpoint.getHl7v2TransactionConfiguration().getParser().encode(nak));
    }

    static boolean isHl7(String start) {
        String s = start.stripLeading();
        return s.length() >= 8 && s.startsWith("MSH");
    }
}
