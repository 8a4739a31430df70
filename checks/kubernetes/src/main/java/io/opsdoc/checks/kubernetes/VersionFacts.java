package io.opsdoc.checks.kubernetes;

import java.time.Instant;

/** What {@code k8s-version-support} reads: {@code GET /version} and when. */
public record VersionFacts(Instant observedAt, ServerVersion server) {
}
