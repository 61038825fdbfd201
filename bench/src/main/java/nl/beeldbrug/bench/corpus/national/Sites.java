package nl.beeldbrug.bench.corpus.national;

import nl.beeldbrug.registry.demo.SyntheticStudies.Site;

import java.util.ArrayList;
import java.util.List;

/**
 * The national corpus' imaging sites, the same for every seed: 80 hospitals (URA {@code 210000nn}, 8 university
 * medical centres and 72 general hospitals, named after the town they are in) and 150 independent diagnostic
 * centres (ZDCs, URA {@code 35000nnn}). The URAs lie outside the demo data's (12000001–34000013) and the benchmark's
 * never-asking organisation (99999990). Names are synthetic.
 */
public final class Sites {

    private static final String[] TOWNS = {
            // the eight with a university medical centre first
            "Amsterdam", "Rotterdam", "Utrecht", "Leiden", "Groningen", "Nijmegen", "Maastricht", "Amstelveen",
            "Alkmaar", "Almelo", "Almere", "Alphen aan den Rijn", "Amersfoort", "Apeldoorn", "Arnhem", "Assen",
            "Bergen op Zoom", "Beverwijk", "Blaricum", "Breda", "Capelle aan den IJssel", "Delft", "Delfzijl", "Den Bosch",
            "Den Haag", "Den Helder", "Deventer", "Doetinchem", "Dordrecht", "Drachten", "Ede", "Eindhoven", "Emmen",
            "Enschede", "Gorinchem", "Gouda", "Haarlem", "Hardenberg", "Harderwijk", "Heerenveen", "Heerlen", "Helmond",
            "Hengelo", "Hilversum", "Hoofddorp", "Hoorn", "Leeuwarden", "Lelystad", "Meppel", "Middelburg", "Nieuwegein",
            "Purmerend", "Roermond", "Roosendaal", "Schiedam", "Sittard", "Sneek", "Spijkenisse", "Stadskanaal", "Terneuzen",
            "Tiel", "Tilburg", "Uden", "Veghel", "Veldhoven", "Venlo", "Vlissingen", "Weert", "Winterswijk", "Woerden",
            "Zaandam", "Zeist", "Zevenaar", "Zoetermeer", "Zutphen", "Zwolle", "Boxmeer", "Goes", "Oss", "Heemstede"};

    private static final String[] ZDC_KINDS = {
            "Diagnostisch Centrum", "Beeldvormingscentrum", "MRI Centrum", "Echo & Röntgen", "Radiologie Praktijk"};

    /** University medical centres (the first 8 hospitals): more referrals, weight 3; other large hospitals weight 2. */
    static final int ACADEMIC = 8;

    public static final List<Site> HOSPITALS;
    public static final List<Site> ZDCS;
    public static final List<Site> ALL;

    static {
        List<Site> hospitals = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            String name = i < ACADEMIC ? "UMC " + TOWNS[i] + " (synthetisch)"
                    : (i % 3 == 0 ? "Ziekenhuis " : i % 3 == 1 ? "Medisch Centrum " : "Streekziekenhuis ") + TOWNS[i] + " (synthetisch)";
            hospitals.add(new Site(String.format("210000%02d", i + 1), name, true));
        }
        List<Site> zdcs = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            String town = TOWNS[(i * 37) % TOWNS.length];
            zdcs.add(new Site(String.format("35000%03d", i + 1), ZDC_KINDS[i % ZDC_KINDS.length] + " " + town
                    + (i >= TOWNS.length ? " " + (i / TOWNS.length + 1) : "") + " (synthetisch)", false));
        }
        HOSPITALS = List.copyOf(hospitals);
        ZDCS = List.copyOf(zdcs);
        List<Site> all = new ArrayList<>(hospitals);
        all.addAll(zdcs);
        ALL = List.copyOf(all);
    }

    private Sites() {
    }

    /** A hospital's weight as a patient's home hospital: university centres 3, the next 30 (larger) 2, the rest 1. */
    static int weight(int hospital) {
        return hospital < ACADEMIC ? 3 : hospital < ACADEMIC + 30 ? 2 : 1;
    }
}
