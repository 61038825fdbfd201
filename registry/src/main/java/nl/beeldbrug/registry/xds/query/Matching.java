package nl.beeldbrug.registry.xds.query;

import org.openehealth.ipf.commons.ihe.xds.core.metadata.Author;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Code;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Hl7v2Based;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Person;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.TimeRange;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Timestamp;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.QueryList;

import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The matching rules of the stored query parameters (ITI TF-2a 3.18.4.1.2.3.6): pure functions,
 * no database. A parameter that is absent matches everything; one that is present never matches
 * an object lacking the attribute.
 */
public final class Matching {

    private Matching() {
    }

    /** Code parameter (OR of values): code and coding scheme must both be equal. */
    public static boolean anyCode(List<Code> wanted, Code actual) {
        if (wanted == null || wanted.isEmpty()) {
            return true;
        }
        return actual != null && wanted.stream().anyMatch(w -> sameCode(w, actual));
    }

    /** Code parameter on a multi-valued attribute (OR of values). */
    public static boolean anyCodeIn(List<Code> wanted, Collection<Code> actual) {
        if (wanted == null || wanted.isEmpty()) {
            return true;
        }
        return actual != null && actual.stream().anyMatch(a -> wanted.stream().anyMatch(w -> sameCode(w, a)));
    }

    /** AND/OR code parameter (eventCodeList, confidentialityCode): every inner list must match. */
    public static boolean codeList(QueryList<Code> wanted, Collection<Code> actual) {
        if (wanted == null || wanted.getOuterList().isEmpty()) {
            return true;
        }
        return wanted.getOuterList().stream().allMatch(inner -> anyCodeIn(inner, actual));
    }

    static boolean sameCode(Code wanted, Code actual) {
        return wanted.getCode() != null && wanted.getCode().equals(actual.getCode())
                && (wanted.getSchemeName() == null || wanted.getSchemeName().equals(actual.getSchemeName()));
    }

    /** Time range: from inclusive, to exclusive, compared as instants. */
    public static boolean inRange(TimeRange range, Timestamp actual) {
        if (range == null || (range.getFrom() == null && range.getTo() == null)) {
            return true;
        }
        if (actual == null || actual.getDateTime() == null) {
            return false;
        }
        if (range.getFrom() != null && actual.getDateTime().toInstant().isBefore(range.getFrom().getDateTime().toInstant())) {
            return false;
        }
        return range.getTo() == null || actual.getDateTime().toInstant().isBefore(range.getTo().getDateTime().toInstant());
    }

    /** Values of a list parameter (OR): the attribute must equal one of them. */
    public static <T> boolean oneOf(List<T> wanted, T actual) {
        return wanted == null || wanted.isEmpty() || (actual != null && wanted.contains(actual));
    }

    /**
     * authorPerson: SQL LIKE patterns ("%" any run, "_" one character) matched against the rendered
     * XCN of each author person (OR of patterns).
     */
    public static boolean authorPerson(List<String> patterns, List<Author> authors) {
        if (patterns == null || patterns.isEmpty()) {
            return true;
        }
        if (authors == null) {
            return false;
        }
        for (Author author : authors) {
            Person person = author.getAuthorPerson();
            if (person == null) {
                continue;
            }
            String rendered = Hl7v2Based.render(person);
            if (rendered == null) {
                continue;
            }
            for (String pattern : patterns) {
                if (like(pattern, rendered)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** SQL LIKE: "%" matches any run of characters, "_" exactly one; everything else literally. */
    public static boolean like(String pattern, String value) {
        StringBuilder regex = new StringBuilder();
        for (char ch : pattern.toCharArray()) {
            switch (ch) {
                case '%' -> regex.append(".*");
                case '_' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(value).matches();
    }

    /**
     * referenceIdList: AND of ORs of CXi values; a value matches a reference id whose rendering is
     * equal once trailing empty components are ignored.
     */
    public static boolean referenceIds(QueryList<String> wanted, List<String> renderedActual) {
        if (wanted == null || wanted.getOuterList().isEmpty()) {
            return true;
        }
        List<String> actual = renderedActual.stream().map(Matching::trimCx).toList();
        return wanted.getOuterList().stream()
                .allMatch(inner -> inner.stream().map(Matching::trimCx).anyMatch(actual::contains));
    }

    static String trimCx(String cx) {
        String s = cx == null ? "" : cx.trim();
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '^' || s.charAt(end - 1) == '&')) {
            end--;
        }
        return s.substring(0, end);
    }
}
