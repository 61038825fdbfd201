package nl.beeldbrug.bench.ingest;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What the sender did, one line per event, appended and flushed as it happens (so the lines survive a
 * kill of the sender too): {@code S patient study setUid manifestUid reportUid} before a request is
 * sent, {@code A ...} when it was answered Success, {@code E ...} when it was answered otherwise or
 * failed. {@code ingest-check} compares it with the database.
 */
public final class Journal implements AutoCloseable {

    private final BufferedWriter out;

    private Journal(BufferedWriter out) {
        this.out = out;
    }

    /** Appends to {@code file}; null: a journal that writes nothing. */
    public static Journal open(Path file) {
        if (file == null) {
            return new Journal(null);
        }
        try {
            return new Journal(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void sent(Iti41Request.Rendered r) {
        write('S', r);
    }

    public void acknowledged(Iti41Request.Rendered r) {
        write('A', r);
    }

    public void failed(Iti41Request.Rendered r) {
        write('E', r);
    }

    private void write(char kind, Iti41Request.Rendered r) {
        if (out == null) {
            return;
        }
        String line = kind + " " + r.patient() + " " + r.study() + " " + r.ids().submissionSet() + " " + r.ids().manifest()
                + " " + r.ids().report() + "\n";
        synchronized (this) {
            try {
                out.write(line);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
