package io.opsdoc.checks.docker;

import static io.opsdoc.checks.docker.StorageCode.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsdoc.core.CheckContext;
import io.opsdoc.core.Evaluation;
import io.opsdoc.core.Evidence;
import io.opsdoc.core.Metric;
import io.opsdoc.core.ParameterSpec;
import io.opsdoc.core.ParameterType;
import io.opsdoc.core.Parameters;
import io.opsdoc.core.Severity;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where Docker's disk goes ({@code docker system df}): image layers, volumes, build cache, and what could be reclaimed;
 * volumes nobody mounts any more. Read-only: it names the prune command, it never runs it.
 */
public final class DockerStorage extends EngineCheck<StorageFacts> {
    public static final String ID = "docker-storage";
    static final String NOTE = "docker/storage-volumes";
    private static final String DANGLING = "/volumes?filters=%7B%22dangling%22%3A%5B%22true%22%5D%7D";

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("reclaimable-warning", ParameterType.BYTES, "10GiB",
                    "space held by unused images, dangling volumes, stopped containers and unused build cache that warns "
                            + "(opsdoc's default: the notes give no figure)"),
            new ParameterSpec("dangling-volumes-warning", ParameterType.INTEGER, "1",
                    "number of dangling volumes that warns"),
            new ParameterSpec("root-warning", ParameterType.PERCENT, "80%",
                    "used share (as df's Use%) of the file system holding the data root at which to warn"),
            new ParameterSpec("root-critical", ParameterType.PERCENT, "90%",
                    "used share of that file system that is critical (dockerd fails to write layers, logs and "
                            + "container state when it is full)"));

    public DockerStorage() {
        super(ID, "How much disk do images, volumes and build cache take, how much is reclaimable, which "
                + "volumes are dangling?", StorageFacts.class, PARAMETERS, StorageCode.class,
                DockerGrants.of(List.of("GET /info", "GET /system/df", "GET /volumes?filters={\"dangling\":[\"true\"]}")));
    }



    @Override
    public StorageFacts collect(CheckContext context) throws Exception {
        JsonNode info = EngineClient.json(context, "/info");
        JsonNode df = EngineClient.json(context, "/system/df");
        JsonNode dangling = EngineClient.json(context, DANGLING);
        long unused = 0;
        long unusedBytes = 0;
        for (JsonNode i : df.path("Images")) {
            if (i.path("Containers").asLong() == 0) {
                unused++;
                long shared = Math.max(0, i.path("SharedSize").asLong());
                unusedBytes += Math.max(0, i.path("Size").asLong() - shared);
            }
        }
        Map<String, Long> volumeSizes = new HashMap<>();
        long volumesBytes = 0;
        for (JsonNode v : df.path("Volumes")) {
            long size = v.path("UsageData").path("Size").asLong(-1);
            volumeSizes.put(v.path("Name").asText(), size);
            volumesBytes += Math.max(0, size);
        }
        long cache = 0;
        long cacheFree = 0;
        for (JsonNode b : df.path("BuildCache")) {
            long size = Math.max(0, b.path("Size").asLong());
            cache += size;
            if (!b.path("InUse").asBoolean()) {
                cacheFree += size;
            }
        }
        long stoppedRw = 0;
        for (JsonNode c : df.path("Containers")) {
            if (!"running".equals(c.path("State").asText())) {
                stoppedRw += Math.max(0, c.path("SizeRw").asLong());
            }
        }
        List<StorageFacts.Volume> vols = new ArrayList<>();
        for (JsonNode v : dangling.path("Volumes")) {
            String name = v.path("Name").asText();
            vols.add(new StorageFacts.Volume(name, v.path("Driver").asText(null), v.path("Mountpoint").asText(null),
                    volumeSizes.getOrDefault(name, -1L), v.path("CreatedAt").asText(null)));
        }
        String rootDir = info.path("DockerRootDir").asText(null);
        Long total = null;
        Long used = null;
        Long available = null;
        String note = null;
        if (rootDir == null) {
            note = "the daemon did not name its DockerRootDir";
        } else if (!LocalDaemon.isThisHost(info.path("Name").asText(null))) {
            note = "dockerd answers as host '" + info.path("Name").asText() + "', not this one: its file systems cannot "
                    + "be measured from here";
        } else {
            try {
                FileStore fs = Files.getFileStore(Path.of(rootDir));
                total = fs.getTotalSpace();
                used = total - fs.getUnallocatedSpace();
                available = fs.getUsableSpace();
            } catch (IOException e) {
                note = "cannot stat " + rootDir + ": " + e.getClass().getSimpleName() + " (run as a user who may "
                        + "traverse it, or as root)";
            }
        }
        return new StorageFacts(EngineEndpoint.of(context.target()).where(), df.path("LayersSize").asLong(),
                df.path("Images").size(), unused, unusedBytes, df.path("Volumes").size(), volumesBytes, cache, cacheFree,
                stoppedRw, vols, rootDir, total, used, available, note);
    }

    @Override
    public void evaluate(StorageFacts f, Parameters p, Evaluation.Builder out) {
        long danglingBytes = f.dangling().stream().mapToLong(v -> Math.max(0, v.size())).sum();
        long reclaimable = f.unusedImagesBytes() + danglingBytes + f.stoppedContainersRwBytes() + f.buildCacheReclaimableBytes();
        out.metric(Metric.of("docker_image_layers_bytes", f.layersSize(), "B"));
        out.metric(Metric.of("docker_volumes_bytes", f.volumesBytes(), "B"));
        out.metric(Metric.of("docker_build_cache_bytes", f.buildCacheBytes(), "B"));
        out.metric(new Metric("docker_reclaimable_bytes", reclaimable, "B", Map.of(),
                (double) p.bytes("reclaimable-warning"), null));
        out.metric(Metric.of("docker_dangling_volumes", f.dangling().size(), ""));
        long danglingWarn = p.integer("dangling-volumes-warning");
        if (!f.dangling().isEmpty() && f.dangling().size() >= danglingWarn) {
            List<String> names = f.dangling().stream().map(StorageFacts.Volume::name).limit(20).toList();
            out.finding(DANGLING_VOLUMES, Severity.WARNING, f.dangling().size() + " dangling volume(s), mounted by no "
                    + "container, holding " + human(danglingBytes) + ": " + String.join(", ", names.stream()
                            .map(n -> n.length() > 16 ? n.substring(0, 12) + "…" : n).toList())
                    + "; check that none holds data still wanted, then docker volume prune",
                    Evidence.of("dangling_volumes", f.dangling().size(), "bytes", danglingBytes, "names", names,
                            "dangling-volumes-warning", danglingWarn));
        }
        rootFilling(f, p, reclaimable, out);
        long warn = p.bytes("reclaimable-warning");
        if (reclaimable >= warn) {
            out.finding(RECLAIMABLE_SPACE_HIGH, Severity.WARNING, human(reclaimable) + " reclaimable (reclaimable-warning "
                    + p.raw().get("reclaimable-warning") + "): " + f.unusedImages() + " unused image(s) "
                    + human(f.unusedImagesBytes()) + ", dangling volumes " + human(danglingBytes) + ", stopped "
                    + "containers' writable layers " + human(f.stoppedContainersRwBytes()) + ", build cache "
                    + human(f.buildCacheReclaimableBytes()),
                    Evidence.of("reclaimable_bytes", reclaimable, "unused_images", f.unusedImages(), "unused_images_bytes",
                            f.unusedImagesBytes(), "dangling_volume_bytes", danglingBytes, "stopped_containers_rw_bytes",
                            f.stoppedContainersRwBytes(), "build_cache_reclaimable_bytes", f.buildCacheReclaimableBytes(),
                            "reclaimable-warning", p.raw().get("reclaimable-warning")));
        }
    }

    private static void rootFilling(StorageFacts f, Parameters p, long reclaimable, Evaluation.Builder out) {
        if (f.rootFsTotalBytes() == null || f.rootFsTotalBytes() <= 0) {
            return;
        }
        long used = f.rootFsUsedBytes();
        long avail = f.rootFsAvailableBytes();
        // df's Use%: used / (used + available), so blocks reserved for root count as full
        double percent = used + avail == 0 ? 0 : Math.ceil(1000.0 * used / (used + avail)) / 10.0;
        double warn = p.percent("root-warning");
        double critical = p.percent("root-critical");
        out.metric(new Metric("docker_root_fs_used_percent", percent, "%", Map.of(), warn, critical));
        if (percent < warn) {
            return;
        }
        out.finding(DOCKER_ROOT_FILLING, percent >= critical ? Severity.CRITICAL : Severity.WARNING, "the file system "
                + "holding the data root " + f.rootDir() + " is " + percent + "% full (" + human(avail) + " left of "
                + human(f.rootFsTotalBytes()) + "); Docker's own reclaimable share is " + human(reclaimable)
                + " (unused images, dangling volumes, stopped containers, build cache); volumes in use hold "
                + human(f.volumesBytes()) + ", image layers " + human(f.layersSize()),
                Evidence.of("root_dir", f.rootDir(), "used_percent", percent, "total_bytes", f.rootFsTotalBytes(),
                        "available_bytes", avail, "reclaimable_bytes", reclaimable, "volumes_bytes", f.volumesBytes(),
                        "root-warning", p.raw().get("root-warning"), "root-critical", p.raw().get("root-critical")));
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
