package io.opsdoc.checks.flume;

import io.opsdoc.core.CheckCode;

/** The finding codes of flume-channel, sections of the note flume/agent. */
enum ChannelCode implements CheckCode {
    CHANNEL_FILL_HIGH("a channel holds a large share of its capacity: its sinks are not keeping up"),
    CHANNEL_FILLING("a channel grew during the window: its sinks took fewer events than its sources put"),
    SINK_FAILING("a sink's connections or deliveries failed during the window"),
    SOURCE_STALLED("a source received no event during the window");

    private final String title;

    ChannelCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return FlumeChannel.NOTE;
    }
}
