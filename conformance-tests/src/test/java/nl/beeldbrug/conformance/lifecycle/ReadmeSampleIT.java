package nl.beeldbrug.conformance.lifecycle;

import nl.beeldbrug.conformance.support.Gateway;
import nl.beeldbrug.conformance.support.RawSoap;
import nl.beeldbrug.conformance.support.SharedGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The newcomer's path of the README: POST docs/samples/iti41-provide-and-register.xml (uniqueIds changed,
 * as the README says) and then docs/samples/iti18-find-documents.xml, raw, as curl does.
 */
@ExtendWith(SharedGateway.class)
class ReadmeSampleIT {

    private static final String SUCCESS = "status=\"urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success\"";

    @Test
    void registerTheSampleAndFindItAgain(Gateway gateway) {
        RawSoap.Iti41Sample sample = RawSoap.iti41Sample();

        HttpResponse<String> provided = RawSoap.post(gateway.endpoint("repository/iti41"), sample.xml());

        assertThat(provided.statusCode()).as(provided.body()).isEqualTo(200);
        assertThat(provided.body()).contains("RegistryResponse").contains(SUCCESS).doesNotContain("RegistryError");

        HttpResponse<String> found = RawSoap.post(gateway.endpoint("registry/iti18"), RawSoap.sample("iti18-find-documents.xml"));

        assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
        assertThat(found.body()).contains("AdhocQueryResponse").contains(SUCCESS)
                .contains("value=\"" + sample.documentUniqueId() + "\"")
                .contains("Verslag CT thorax");
    }

    @Test
    void sendingTheSampleUnchangedTwiceIsAnIdenticalResubmission(Gateway gateway) {
        RawSoap.Iti41Sample sample = RawSoap.iti41Sample();
        HttpResponse<String> first = RawSoap.post(gateway.endpoint("repository/iti41"), sample.xml());
        HttpResponse<String> second = RawSoap.post(gateway.endpoint("repository/iti41"), sample.xml());

        assertThat(first.body()).contains(SUCCESS);
        assertThat(second.body()).contains(SUCCESS);
        HttpResponse<String> found = RawSoap.post(gateway.endpoint("registry/iti18"), RawSoap.sample("iti18-find-documents.xml"));
        assertThat(found.body().split("value=\"" + sample.documentUniqueId() + "\"", -1)).as("occurrences of the document").hasSize(2);
    }
}
