package io.opsdoc.checks.host;

import io.opsdoc.core.CheckCode;

/** The finding codes of iptables-rules, sections of the note network/iptables. */
enum IptablesCode implements CheckCode {
    DROPS_INCREASING("a DROP or REJECT rule (or a chain's DROP policy) discarded packets during the window"),
    FORWARD_POLICY_DROP("the filter table's FORWARD policy is DROP: routed traffic (containers, pods) needs a rule"),
    RULESET_LARGE("the rule set holds more rules than the threshold: every packet walks the chains rule by rule"),
    MIXED_LEGACY_NFT("rules are loaded in both the legacy (x_tables) and the nf_tables back end at the same time"),
    NO_INPUT_FILTERING("the INPUT chain accepts everything: policy ACCEPT and no rule");

    private final String title;

    IptablesCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return IptablesRules.NOTE;
    }
}
