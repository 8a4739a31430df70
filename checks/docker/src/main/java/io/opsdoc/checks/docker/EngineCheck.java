package io.opsdoc.checks.docker;

import io.opsdoc.core.CheckCode;
import io.opsdoc.core.DescribedCheck;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.Target;
import java.util.List;

/** What every check of the Docker Engine API shares: its schemes, and a malformed endpoint refused before any call. */
abstract class EngineCheck<F> extends DescribedCheck<F> {

    <E extends Enum<E> & CheckCode> EngineCheck(String id, String title, Class<F> factsType, List<ParameterSpec> parameters,
            Class<E> codes, List<GrantSet> grants) {
        super(id, "docker", title, factsType, parameters, codes, grants);
    }

    @Override
    public final List<String> targetSchemes() {
        return EngineEndpoint.SCHEMES;
    }

    @Override
    public final void validate(Target target) {
        EngineEndpoint.of(target);
    }
}
