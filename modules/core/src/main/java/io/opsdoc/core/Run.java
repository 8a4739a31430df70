package io.opsdoc.core;

import java.util.Map;

/**
 * A report plus what produced it: the raw facts (null when collection failed) and the parameters,
 * which is everything {@code --capture} needs to replay the evaluation offline.
 */
public record Run(Report report, Object facts, Map<String, String> parameters) {
}
