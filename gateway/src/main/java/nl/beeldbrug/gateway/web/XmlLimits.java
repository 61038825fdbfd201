package nl.beeldbrug.gateway.web;

import nl.beeldbrug.gateway.config.BeeldbrugProperties;
import org.apache.cxf.Bus;
import org.springframework.stereotype.Component;

/**
 * Hardens CXF's XML parsing for every SOAP endpoint: bounded element depth, element count,
 * attributes and text, on top of CXF's default refusal of DTDs (so no external entities and no
 * entity expansion). A request beyond a limit gets a SOAP Sender fault (HTTP 400, see
 * {@link SenderFaultStatus}) before any route runs.
 */
@Component
public class XmlLimits {

    public XmlLimits(Bus bus, BeeldbrugProperties properties) {
        bus.setProperty("org.apache.cxf.stax.allowInsecureParser", false);
        bus.setProperty("org.apache.cxf.stax.maxElementDepth", properties.http().maxXmlDepth());
        bus.setProperty("org.apache.cxf.stax.maxElementCount", (long) properties.http().maxXmlElements());
        bus.setProperty("org.apache.cxf.stax.maxChildElements", 100_000);
        bus.setProperty("org.apache.cxf.stax.maxAttributeCount", 64);
        bus.setProperty("org.apache.cxf.stax.maxAttributeSize", 64 * 1024);
        bus.setProperty("org.apache.cxf.stax.maxTextLength", properties.http().maxRequestSize().toBytes());
        bus.getOutFaultInterceptors().add(new SenderFaultStatus.Marker());
    }
}
