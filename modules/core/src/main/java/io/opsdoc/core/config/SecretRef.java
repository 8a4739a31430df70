package io.opsdoc.core.config;

import io.opsdoc.core.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a target's password comes from: an environment variable or a file. A plain-text value in the config is
 * accepted (with a warning at load time) because some pipelines template the file, but it is never echoed.
 */
public record SecretRef(String env, Path file, Secret inline, String where) {

    public Secret resolve(Map<String, String> environment) {
        if (env != null) {
            String v = environment.get(env);
            if (v == null) {
                throw new ConfigException(where + ": password variable " + env + " is not set");
            }
            return Secret.of(v, "environment variable " + env);
        }
        if (file != null) {
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                int nl = text.indexOf('\n');
                return Secret.of((nl >= 0 ? text.substring(0, nl) : text).replace("\r", ""), "file " + file);
            } catch (IOException e) {
                throw new ConfigException(where + ": cannot read password file " + file);
            }
        }
        return inline;
    }
}
