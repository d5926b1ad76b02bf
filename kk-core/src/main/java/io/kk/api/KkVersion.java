package io.kk.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** kk's own version, stamped by the build. */
public final class KkVersion {
    private KkVersion() {}

    public static String current() {
        try (InputStream in = KkVersion.class.getResourceAsStream("kk-version.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
