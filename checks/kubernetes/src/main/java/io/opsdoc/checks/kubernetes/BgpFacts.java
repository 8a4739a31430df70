package io.opsdoc.checks.kubernetes;

import java.time.Instant;

/**
 * What {@code k8s-calico-bgp} read: the output of {@code CLIENT -r -s SOCKET show protocols} exactly as the BIRD
 * client printed it (parsed by {@link BirdProtocols} in evaluate, so recorded output of any BIRD version can be judged).
 */
public record BgpFacts(Instant observedAt, String socket, String showProtocols) {
}
