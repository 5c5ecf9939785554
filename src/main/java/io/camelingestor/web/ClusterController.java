package io.camelingestor.web;

import io.camelingestor.batch.ReplicaLeases;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/cluster}: the replicas sharing this database and what each is doing (README "Several replicas"). */
@RestController
@RequestMapping("/api/cluster")
@Tag(name = "cluster", description = "Replicas sharing the database and the data folder")
class ClusterController {

    private final ReplicaLeases leases;

    ClusterController(ReplicaLeases leases) {
        this.leases = leases;
    }

    @GetMapping
    @Operation(
            summary = "Replicas: node id, start, last heartbeat, alive or taken over, running batches, claimed files"
                    + " and HTTP source runs")
    Map<String, Object> cluster() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("self", leases.nodeId());
        body.put("clusteredSchedules", leases.settings().enabled());
        body.put("takeoverAfter", leases.settings().takeoverAfter().toString());
        body.put("heartbeat", leases.settings().heartbeat().toString());
        body.put("workers", leases.workers());
        body.put("replicas", leases.members());
        return body;
    }
}
