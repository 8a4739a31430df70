package io.opsdoc.checks.rabbitmq;

import io.opsdoc.core.GrantSet;
import java.util.List;

/** The one user every RabbitMQ check runs as: the management 'monitoring' tag and no vhost permission to act. */
final class RabbitGrants {
    static final List<GrantSet> ALL = List.of(new GrantSet("RabbitMQ 3.8 and later (management plugin)", List.of(
            "rabbitmqctl add_user opsdoc-monitor '<password>'",
            "rabbitmqctl set_user_tags opsdoc-monitor monitoring",
            "rabbitmqctl set_permissions -p / opsdoc-monitor '' '' ''"),
            "The 'monitoring' tag lets the user read nodes, alarms, health checks, queues and policies through the "
                    + "management API and nothing else. The empty configure/write/read patterns grant no access to any "
                    + "resource (not even publishing to the default exchange); the entry only makes the vhost visible: "
                    + "repeat set_permissions for every vhost whose queues should be checked. No AMQP access is used."));

    private RabbitGrants() {
    }
}
