package io.opsdoc.core;

import java.util.Arrays;
import java.util.List;

/**
 * A check's finding codes, declared once: each check has an enum implementing this, whose constants are its codes
 * (the constant's name is the code). The check hands the enum to {@link DescribedCheck}, and evaluation emits its
 * constants, so a code cannot be declared in one place and spelled differently in another.
 */
public interface CheckCode {
    /** The code, UPPER_SNAKE; an enum provides it. */
    String name();

    /** One line for listings. */
    String title();

    /** The note that explains it, e.g. {@code mysql/replication}. */
    String noteId();

    /** The section: by convention the code lower-cased with '-' for '_'. */
    default String anchor() {
        return FindingCode.anchorOf(name());
    }

    default FindingCode declaration() {
        return new FindingCode(name(), noteId() + "#" + anchor(), title());
    }

    /** Every constant of a check's code enum, as the declarations the engine and listings use. */
    static <E extends Enum<E> & CheckCode> List<FindingCode> declarations(Class<E> table) {
        return Arrays.stream(table.getEnumConstants()).map(CheckCode::declaration).toList();
    }
}
