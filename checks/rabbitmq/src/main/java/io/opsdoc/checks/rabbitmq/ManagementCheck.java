package io.opsdoc.checks.rabbitmq;

import io.opsdoc.core.CheckCode;
import io.opsdoc.core.DescribedCheck;
import io.opsdoc.core.GrantSet;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.Target;
import java.util.List;

/** What every check of the RabbitMQ management API shares: rabbitmq:// and rabbitmqs://, checked before any call. */
abstract class ManagementCheck<F> extends DescribedCheck<F> {

    <E extends Enum<E> & CheckCode> ManagementCheck(String id, String title, Class<F> factsType,
            List<ParameterSpec> parameters, Class<E> codes, List<GrantSet> grants) {
        super(id, ManagementApi.SCHEME, title, factsType, parameters, codes, grants);
    }

    @Override
    public final List<String> targetSchemes() {
        return List.of(ManagementApi.SCHEME, ManagementApi.TLS_SCHEME);
    }

    @Override
    public void validate(Target target) {
        ManagementApi.validate(target);
    }
}
