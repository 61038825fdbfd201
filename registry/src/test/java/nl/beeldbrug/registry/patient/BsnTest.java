package nl.beeldbrug.registry.patient;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BsnTest {

    @ParameterizedTest
    @ValueSource(strings = {"999999990", "111222333", "123456782", "012345672"})
    void nineDigitsPassingTheElfproefAreValid(String candidate) {
        assertThat(Bsn.isValid(candidate)).isTrue();
        assertThat(Bsn.parse(candidate)).map(Bsn::value).contains(candidate);
        assertThat(Bsn.of(candidate).value()).isEqualTo(candidate);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "999999991",   // elfproef fails (sum 395)
            "123456789",   // elfproef fails
            "000000000",   // sum 0 is divisible by 11 but not a BSN
            "99999999",    // eight digits
            "9999999900",  // ten digits
            "99999999O",   // letter O instead of zero
            "99999-990",
            " 99999999",
            "９９９９９９９９０", // full-width digits are not ASCII digits
            "+99999990"})
    void otherStringsAreInvalid(String candidate) {
        assertThat(Bsn.isValid(candidate)).isFalse();
        assertThat(Bsn.parse(candidate)).isEmpty();
    }

    @ParameterizedTest
    @NullAndEmptySource
    void nullAndEmptyAreInvalid(String candidate) {
        assertThat(Bsn.isValid(candidate)).isFalse();
        assertThat(Bsn.parse(candidate)).isEmpty();
    }

    @Test
    void ofRejectsWithoutEchoingTheInput() {
        assertThatThrownBy(() -> Bsn.of("999999991"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("999999991");
    }

    @Test
    void toStringMasksAllButTheLastTwoDigits() {
        Bsn bsn = Bsn.of("123456782");
        assertThat(bsn.toString())
                .doesNotContain("123456782")
                .doesNotContain("1234567")
                .endsWith("82)")
                .isEqualTo("BSN(*******82)");
    }

    @Test
    void equalityIsByValue() {
        assertThat(Bsn.of("999999990")).isEqualTo(Bsn.of("999999990")).hasSameHashCodeAs(Bsn.of("999999990"));
        assertThat(Bsn.of("999999990")).isNotEqualTo(Bsn.of("111222333"));
    }

    @Test
    void theAssigningAuthorityIsTheDutchBsnOid() {
        assertThat(Bsn.OID).isEqualTo("2.16.840.1.113883.2.4.6.3");
    }
}
