package io.opsdoc.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version stamped into the build, for {@code --version}, reports and captures. */
public final class OpsdocVersion {
    private static final String VERSION = load();

    private OpsdocVersion() {
    }

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = OpsdocVersion.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
