package io.opsdoc.checks.redis;

import io.opsdoc.core.CheckCode;

/** The finding code of redis-hit-ratio, a section of the note redis/hit-ratio. */
enum HitRatioCode implements CheckCode {
    HIT_RATIO_LOW("the share of key lookups that found their key was low during the window");

    private final String title;

    HitRatioCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return RedisHitRatio.NOTE;
    }
}
