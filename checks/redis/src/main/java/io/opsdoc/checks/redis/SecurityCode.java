package io.opsdoc.checks.redis;

import io.opsdoc.core.CheckCode;

/** The finding codes of redis-security, each a section of the note redis/security. */
enum SecurityCode implements CheckCode {
    NO_PASSWORD("a connection without AUTH is served"),
    PROTECTED_MODE_OFF("protected mode is off while the default user has no password"),
    DANGEROUS_COMMANDS_CALLABLE("the default user may run FLUSHALL, KEYS, CONFIG and the like");

    private final String title;

    SecurityCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return RedisSecurity.NOTE;
    }
}
