package nl.beeldbrug.gateway.fhir.mhd;

import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.hl7.fhir.instance.model.api.IBaseResource;

import java.util.List;

/**
 * Stateless paging of the MHD searches by {@code _offset}/{@code _count}, like ImagingStudy: any
 * gateway instance answers any page; HAPI writes the self/next/previous links from the total.
 */
public record MhdPaging(int defaultPageSize, int maxPageSize) {

    public record Window(int first, int size) {
        <T> List<T> of(List<T> all) {
            if (first >= all.size()) {
                return List.of();
            }
            return all.subList(first, Math.min(all.size(), first + size));
        }
    }

    Window window(Integer offset, Integer count) {
        int size = count == null ? defaultPageSize : count;
        if (size < 0 || size > maxPageSize) {
            throw new InvalidRequestException("_count: at most " + maxPageSize);
        }
        int first = offset == null ? 0 : offset;
        if (first < 0) {
            throw new InvalidRequestException("_offset: cannot be negative");
        }
        return new Window(first, size);
    }

    /** A page already cut at its offset: HAPI asks for all of it and builds the links from the total. */
    static IBundleProvider page(List<IBaseResource> resources, int total) {
        return new SimpleBundleProvider(resources) {
            @Override
            public Integer size() {
                return total;
            }
        };
    }
}
