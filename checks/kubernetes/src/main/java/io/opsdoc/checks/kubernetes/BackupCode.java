package io.opsdoc.checks.kubernetes;

import io.opsdoc.core.CheckCode;

/** The finding codes of k8s-etcd-backup, each a section of the note kubernetes/backup-restore. */
enum BackupCode implements CheckCode {
    ETCD_BACKUP_MISSING("no snapshot file matches the configured path"),
    ETCD_BACKUP_STALE("the newest snapshot is older than max-age"),
    ETCD_BACKUP_INVALID("the newest snapshot is not a whole etcd snapshot (truncated, corrupt, not bbolt)"),
    PKI_NOT_BACKED_UP("no recent, whole backup of /etc/kubernetes/pki holding the CA and service-account keys"),
    CONFIG_NOT_BACKED_UP("no recent, whole backup of the control-plane kubeconfigs and static-pod manifests");

    private final String title;

    BackupCode(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String noteId() {
        return EtcdBackup.NOTE;
    }
}
