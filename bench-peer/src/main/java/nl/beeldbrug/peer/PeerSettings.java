package nl.beeldbrug.peer;

import java.util.Locale;

/**
 * The command line of the peer: {@code --port P --jdbc-url URL --user U [--password W] [--pool-size N]}.
 * The server listens on 127.0.0.1 only.
 */
public record PeerSettings(int port, String jdbcUrl, String user, String password, int poolSize) {

    static final String USAGE = "usage: java -jar beeldbrug-peer.jar --port P --jdbc-url jdbc:postgresql://127.0.0.1:PGPORT/peer"
            + " --user postgres [--password W] [--pool-size 10]";

    public static PeerSettings parse(String... args) {
        Integer port = null;
        String url = null;
        String user = null;
        String password = "";
        int pool = 10;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value; " + USAGE);
            }
            String value = args[++i];
            switch (name.toLowerCase(Locale.ROOT)) {
                case "--port" -> port = Integer.parseInt(value);
                case "--jdbc-url" -> url = value;
                case "--user" -> user = value;
                case "--password" -> password = value;
                case "--pool-size" -> pool = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + name + "; " + USAGE);
            }
        }
        if (port == null || url == null || user == null) {
            throw new IllegalArgumentException(USAGE);
        }
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("only PostgreSQL is supported: " + url);
        }
        return new PeerSettings(port, url, user, password, pool);
    }
}
