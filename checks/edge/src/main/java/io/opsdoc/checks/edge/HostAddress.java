package io.opsdoc.checks.edge;

/**
 * One address of one interface as {@code ip -o addr show} lists it, e.g. device {@code vA}, family {@code inet},
 * {@code 10.213.0.100}, prefix 24, scope {@code global}. The address is normalized ({@link IpAddresses#normalize}).
 */
public record HostAddress(String device, String family, String address, int prefix, String scope) {
    String cidr() {
        return address + "/" + prefix;
    }
}
