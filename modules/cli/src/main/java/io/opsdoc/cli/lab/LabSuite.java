package io.opsdoc.cli.lab;

import java.util.List;

/**
 * The lab scenarios of one system: starts real servers on loopback, then breaks them one way after another.
 * A family of checks adds its suite to {@link LabSuites#all()}.
 */
public interface LabSuite extends AutoCloseable {
    /** Short name for {@code opsdoc lab --suite NAME}, e.g. {@code mysql}. */
    String name();

    /** What it starts, for the line printed before starting. */
    String description();

    /** Starts the servers; returns one line saying where they run. */
    String start() throws Exception;

    List<LabScenario> scenarios();

    /** Undo whatever the last scenario broke; called before every scenario. */
    void heal();

    @Override
    void close();
}
