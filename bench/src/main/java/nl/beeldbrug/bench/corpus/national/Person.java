package nl.beeldbrug.bench.corpus.national;

import java.time.LocalDate;

/** A corpus patient's demographics: sex 'F' or 'M', birth date and names (synthetic, Dutch). */
public record Person(char sex, LocalDate birthDate, String given, String family) {

    /** Age in whole years on {@code day}. */
    public int ageOn(LocalDate day) {
        return java.time.Period.between(birthDate, day).getYears();
    }
}
