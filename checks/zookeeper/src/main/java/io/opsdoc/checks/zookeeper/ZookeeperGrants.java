package io.opsdoc.checks.zookeeper;

import io.opsdoc.core.GrantSet;
import java.util.List;

/** ZooKeeper has no users for four-letter words: what the checks need is the words being allowed. */
final class ZookeeperGrants {
    private ZookeeperGrants() {
    }

    static List<GrantSet> grants(String words) {
        return List.of(new GrantSet("ZooKeeper 3.5.3 and later", List.of(
                "# zoo.cfg of every member (a restart of the member applies it):",
                "4lw.commands.whitelist=" + words,
                "# or on the JVM: -Dzookeeper.4lw.commands.whitelist=" + words),
                "Four-letter words need no login and these are read-only. Only srvr is allowed by default since "
                        + "3.5.3; list exactly these words, never '*' (it also allows wchp, dump and cons, which "
                        + "list sessions and paths and are costly on a big ensemble). The client port must be "
                        + "reachable from where opsdoc runs."));
    }
}
