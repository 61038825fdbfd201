package nl.beeldbrug.adapters.dicom.net;

import java.util.List;

/**
 * A presentation context (PS3.8 9.3.2.2 / 9.3.3.2). In a request, {@code transferSyntaxes} lists the proposals
 * and {@code result} is unused; in an accept, it holds the one chosen transfer syntax and the result.
 */
public record PresentationContext(int id, String abstractSyntax, List<String> transferSyntaxes, int result) {
    public static final int ACCEPTANCE = 0;
    public static final int USER_REJECTION = 1;
    public static final int NO_REASON = 2;
    public static final int ABSTRACT_SYNTAX_NOT_SUPPORTED = 3;
    public static final int TRANSFER_SYNTAXES_NOT_SUPPORTED = 4;

    public static PresentationContext proposed(int id, String abstractSyntax, String... transferSyntaxes) {
        return new PresentationContext(id, abstractSyntax, List.of(transferSyntaxes), 0);
    }

    public boolean accepted() {
        return result == ACCEPTANCE;
    }

    public String transferSyntax() {
        return transferSyntaxes.isEmpty() ? null : transferSyntaxes.get(0);
    }
}
