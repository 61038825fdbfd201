package nl.beeldbrug.registry.audit;

/**
 * The outcome of checking the audit trail's hash chain.
 *
 * @param intact         every record's hash matches its content and its predecessor's hash
 * @param recordsChecked records read (up to and including the first broken one)
 * @param firstBrokenId  the id of the first record whose content or link does not match; null when intact
 * @param problem        what is wrong with it ("content changed" / "link to the previous record broken"); null when intact
 */
public record ChainVerification(boolean intact, long recordsChecked, Long firstBrokenId, String problem) {
}
