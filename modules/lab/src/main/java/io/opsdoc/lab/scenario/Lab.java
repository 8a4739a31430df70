package io.opsdoc.lab.scenario;

/**
 * Real servers a family's scenarios break one way after another. Started once, shared by every scenario of a run
 * (a test class or {@code opsdoc lab}), and put back to healthy before each scenario.
 */
public interface Lab extends AutoCloseable {
    /** Undoes whatever the last scenario broke, so that the next one starts from the healthy state. */
    void heal();

    /** One line saying where the servers run, e.g. {@code primary 127.0.0.1:41234, replica 127.0.0.1:41235}. */
    String where();

    @Override
    void close();
}
