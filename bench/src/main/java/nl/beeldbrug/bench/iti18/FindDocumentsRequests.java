package nl.beeldbrug.bench.iti18;

import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ITI-18 Registry Stored Query FindDocuments requests (SOAP 1.2, WS-Addressing, LeafClass, status
 * Approved), and the check of a response: a Success AdhocQueryResponse with at least one
 * ExtrinsicObject (DocumentEntry).
 */
final class FindDocumentsRequests {

    static final String CONTENT_TYPE = "application/soap+xml; charset=UTF-8; action=\"urn:ihe:iti:2007:RegistryStoredQuery\"";

    private static final String TEMPLATE = """
            <?xml version="1.0" encoding="UTF-8"?>
            <s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://www.w3.org/2005/08/addressing">
              <s:Header>
                <a:Action s:mustUnderstand="1">urn:ihe:iti:2007:RegistryStoredQuery</a:Action>
                <a:MessageID>urn:uuid:%s</a:MessageID>
                <a:ReplyTo><a:Address>http://www.w3.org/2005/08/addressing/anonymous</a:Address></a:ReplyTo>
                          </s:Header>
              <s:Body>
                <query:AdhocQueryRequest xmlns:query="urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0"
                                         xmlns:rim="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0">
                  <query:ResponseOption returnComposedObjects="true" returnType="LeafClass"/>
                  <rim:AdhocQuery id="urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d">
                    <rim:Slot name="$XDSDocumentEntryPatientId">
                      <rim:ValueList><rim:Value>'%s^^^&amp;2.16.840.1.113883.2.4.6.3&amp;ISO'</rim:Value></rim:ValueList>
                    </rim:Slot>
                    <rim:Slot name="$XDSDocumentEntryStatus">
                      <rim:ValueList><rim:Value>('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved')</rim:Value></rim:ValueList>
                    </rim:Slot>
                  </rim:AdhocQuery>
                </query:AdhocQueryRequest>
              </s:Body>
            </s:Envelope>
            """;

    private static final String SUCCESS = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success";
    private static final Pattern ENTRY = Pattern.compile("<(?:[A-Za-z0-9_.-]+:)?ExtrinsicObject[\\s>/]");

    String body(String bsn, UUID messageId) {
        return TEMPLATE.formatted(messageId, bsn);
    }

    /** The number of DocumentEntries in a successful response, or -1 when it is not a Success. */
    static int entries(String responseBody) {
        int status = responseBody.indexOf("status=\"" + SUCCESS + "\"");
        if (status < 0 || responseBody.contains("RegistryErrorList")) {
            return -1;
        }
        Matcher m = ENTRY.matcher(responseBody);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
