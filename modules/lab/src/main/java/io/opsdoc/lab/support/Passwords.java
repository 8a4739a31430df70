package io.opsdoc.lab.support;

import java.security.SecureRandom;

/** Fresh passwords for the lab's users, different on every run so no test can depend on one. */
public final class Passwords {
    // letters and digits only: the labs paste passwords into SQL string literals and server config files
    private static final String ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Passwords() {
    }

    public static String random() {
        StringBuilder b = new StringBuilder(24);
        for (int i = 0; i < 24; i++) {
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }
}
