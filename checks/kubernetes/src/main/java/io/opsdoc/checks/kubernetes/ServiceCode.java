package io.opsdoc.checks.kubernetes;

import io.opsdoc.core.CheckCode;

/** The finding codes of k8s-service-endpoints, each a section of the note kubernetes/service-endpoints. */
enum ServiceCode implements CheckCode {
    SERVICE_WITHOUT_ENDPOINTS("a Service's selector matches pods, but none of them is a ready endpoint"),
    SELECTOR_MATCHES_NO_POD("a Service's selector matches no pod at all"),
    INGRESS_BACKEND_MISSING("an Ingress routes to a Service or Service port that does not exist");

    private final String title;

    ServiceCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return ServiceEndpoints.NOTE;
    }
}
