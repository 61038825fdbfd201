package nl.beeldbrug.gateway.ai;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A plain multipart/related parser for the AI platform's side of the tests: the body of each part. */
final class Multipart {

    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");

    private Multipart() {
    }

    static List<byte[]> parts(String contentType, byte[] body) {
        Matcher m = BOUNDARY.matcher(contentType);
        if (!contentType.startsWith("multipart/related") || !m.find()) {
            throw new AssertionError("not multipart/related with a boundary: " + contentType);
        }
        byte[] delimiter = ("--" + m.group(1)).getBytes(StandardCharsets.US_ASCII);
        List<byte[]> parts = new ArrayList<>();
        int at = indexOf(body, delimiter, 0);
        while (at >= 0) {
            int start = at + delimiter.length;
            if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
                break; // closing delimiter
            }
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), start);
            int next = indexOf(body, ("\r\n--" + m.group(1)).getBytes(StandardCharsets.US_ASCII), headersEnd + 4);
            if (headersEnd < 0 || next < 0) {
                throw new AssertionError("truncated multipart body");
            }
            String headers = new String(body, start, headersEnd - start, StandardCharsets.US_ASCII);
            if (!headers.toLowerCase().contains("content-type: application/dicom")) {
                throw new AssertionError("part is not application/dicom: " + headers);
            }
            parts.add(Arrays.copyOfRange(body, headersEnd + 4, next));
            at = next + 2;
        }
        return parts;
    }

    static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static boolean contains(byte[] haystack, String text) {
        return indexOf(haystack, text.getBytes(StandardCharsets.US_ASCII), 0) >= 0;
    }
}
