package nl.beeldbrug.gateway.web;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class SoapContentTypeFilterTest {

    private final SoapContentTypeFilter filter = new SoapContentTypeFilter();

    @Test
    void soapAndMtomPass() {
        assertThat(SoapContentTypeFilter.acceptable("application/soap+xml; charset=UTF-8")).isTrue();
        assertThat(SoapContentTypeFilter.acceptable("Multipart/Related; type=\"application/xop+xml\"; boundary=x")).isTrue();
        assertThat(SoapContentTypeFilter.acceptable("text/xml")).isTrue();
    }

    @Test
    void otherTypesAreRefused() {
        assertThat(SoapContentTypeFilter.acceptable(null)).isFalse();
        assertThat(SoapContentTypeFilter.acceptable("application/json")).isFalse();
        assertThat(SoapContentTypeFilter.acceptable("text/plain")).isFalse();
        assertThat(SoapContentTypeFilter.acceptable("application/soap+xmlx")).isFalse();
    }

    @Test
    void aJsonPostToASoapEndpointGets415AndASoapFault() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/services/registry/iti18");
        request.setContentType("application/json");
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicBoolean passed = new AtomicBoolean();

        filter.doFilter(request, response, (req, res) -> passed.set(true));

        assertThat(passed).isFalse();
        assertThat(response.getStatus()).isEqualTo(415);
        assertThat(response.getContentAsString()).contains("soap:Sender");
    }

    @Test
    void getRequestsAndOtherPathsAreNotItsBusiness() throws Exception {
        AtomicBoolean passed = new AtomicBoolean();
        filter.doFilter(new MockHttpServletRequest("GET", "/services"), new MockHttpServletResponse(), (q, s) -> passed.set(true));
        assertThat(passed).isTrue();

        passed.set(false);
        MockHttpServletRequest other = new MockHttpServletRequest("POST", "/fhir/ImagingStudy");
        other.setContentType("application/fhir+json");
        filter.doFilter(other, new MockHttpServletResponse(), (q, s) -> passed.set(true));
        assertThat(passed).isTrue();
    }
}
