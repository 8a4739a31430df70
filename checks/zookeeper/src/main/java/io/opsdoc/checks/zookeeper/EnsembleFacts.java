package io.opsdoc.checks.zookeeper;

import java.util.List;

/** Every member of the target's list, asked in parallel, in the order the target names them. */
public record EnsembleFacts(List<MemberReply> members) {
}
