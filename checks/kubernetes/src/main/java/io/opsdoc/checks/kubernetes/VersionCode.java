package io.opsdoc.checks.kubernetes;

import io.opsdoc.core.CheckCode;

/** The finding codes of k8s-version-support, each a section of the note kubernetes/versions. */
enum VersionCode implements CheckCode {
    VERSION_EOL("the API server runs a Kubernetes minor version past its end of life"),
    VERSION_EOL_SOON("the API server's minor version reaches its end of life within eol-warning"),
    VERSION_UNKNOWN("the server's version is not in opsdoc's release table (newer than the table, or not reported)");

    private final String title;

    VersionCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return VersionSupport.NOTE;
    }
}
