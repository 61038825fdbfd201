package nl.beeldbrug.gateway.web;

/** SOAP 1.2 faults written outside CXF (before a request reaches it). */
public final class SoapFaults {

    private SoapFaults() {
    }

    /** A soap:Sender fault: the request was at fault. */
    public static String sender(String reason) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\"><soap:Body><soap:Fault>"
                + "<soap:Code><soap:Value>soap:Sender</soap:Value></soap:Code>"
                + "<soap:Reason><soap:Text xml:lang=\"en\">" + escape(reason) + "</soap:Text></soap:Reason>"
                + "</soap:Fault></soap:Body></soap:Envelope>";
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
