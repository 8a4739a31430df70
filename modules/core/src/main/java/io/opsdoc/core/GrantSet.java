package io.opsdoc.core;

import java.util.List;

/**
 * The exact privileges a check needs on one flavour of target, as statements an admin can paste.
 *
 * @param flavor     e.g. "MySQL 8.0 and 5.7", "MariaDB 10.5.9 and later"
 * @param statements GRANT / ACL / RBAC text, one statement per element
 * @param comment    why these and no more
 */
public record GrantSet(String flavor, List<String> statements, String comment) {
}
