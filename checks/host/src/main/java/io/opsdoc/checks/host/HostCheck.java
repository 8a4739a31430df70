package io.opsdoc.checks.host;

import io.opsdoc.core.DescribedCheck;
import io.opsdoc.core.FindingCode;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.Target;
import java.util.List;

/**
 * What every Linux host check shares: it runs on {@code local:} and {@code ssh://} alike (the same collect through
 * {@link HostReader}), and rejects a malformed host target before any connection.
 */
abstract class HostCheck<F> extends DescribedCheck<F> {

    HostCheck(String id, String title, Class<F> factsType, List<ParameterSpec> parameters, List<FindingCode> codes,
            List<GrantSet> grants) {
        super(id, "local", title, factsType, parameters, codes, grants);
    }

    @Override
    public final List<String> targetSchemes() {
        return HostGrants.SCHEMES;
    }

    @Override
    public final void validate(Target target) {
        HostTarget.of(target);
    }
}
