package io.opsdoc.checks.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Prefix arithmetic and /proc/net/route's little-endian hex, as a Linux 6.x kernel prints them. */
class Ipv4NetTest {

    @Test
    void readsProcNetRouteColumns() {
        // "lan0  0000280A  0108E70A  0003 ... 0000FFFF": 10.40.0.0/16 via 10.231.8.1
        assertEquals("10.40.0.0/16", Ipv4Net.fromProcRoute("0000280A", "0000FFFF").toString());
        assertEquals("10.231.8.1", Ipv4Net.fromProcAddress("0108E70A"));
        assertEquals("10.231.8.0/25", Ipv4Net.fromProcRoute("0008E70A", "80FFFFFF").toString());
        assertEquals("0.0.0.0/0", Ipv4Net.fromProcRoute("00000000", "00000000").toString());
    }

    @Test
    void overlapAndContainment() {
        Ipv4Net vpn = Ipv4Net.parse("10.40.0.0/16");
        Ipv4Net legacy = Ipv4Net.parse("10.40.3.0/24");
        assertTrue(vpn.overlaps(legacy) && legacy.overlaps(vpn));
        assertTrue(vpn.contains(legacy));
        assertFalse(legacy.contains(vpn));
        assertFalse(Ipv4Net.parse("172.17.0.0/16").overlaps(Ipv4Net.parse("172.18.0.0/16")));
    }

    @Test
    void privateRanges() {
        assertTrue(Ipv4Net.parse("172.30.1.0/24").isPrivate());
        assertTrue(Ipv4Net.parse("192.168.100.0/24").isPrivate());
        assertFalse(Ipv4Net.parse("192.169.100.0/24").isPrivate());
        assertFalse(Ipv4Net.parse("172.32.0.0/16").isPrivate());
        assertFalse(Ipv4Net.parse("100.64.0.0/10").isPrivate());
        assertNull(Ipv4Net.parse("fd00::/64"));
    }
}
