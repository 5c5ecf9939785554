package io.camelingestor.source.http;

import io.camelingestor.core.ClusterProperties;
import io.camelingestor.core.IngestorProperties;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.camel.spi.PropertiesFunction;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.util.URISupport;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Schedules that fire once per cluster. With {@code ingestor.cluster.enabled=true}, Camel's Quartz component
 * runs on Quartz's clustered JDBC job store in the application's PostgreSQL (tables {@code qrtz_*}, V6): each
 * trigger fires on one replica per tick, and when that replica dies another one fires the next tick (Quartz's
 * own check-in, every {@code ingestor.cluster.heartbeat}). Without it nothing changes: Quartz keeps its
 * in-memory store and {@code timer:} schedules stay timers.
 *
 * <p>The HTTP source template's trigger is {@code {{cluster-schedule:{{schedule}}}}}: the placeholder function
 * below returns a source's {@code schedule} unchanged on one replica, and on a cluster turns a
 * {@code timer:<name>?period=<ms>&delay=<ms>} into the equivalent
 * {@code quartz:http-sources/<name>?trigger.repeatInterval=<ms>&trigger.repeatCount=-1&triggerStartDelay=<ms>&stateful=true}
 * (stateful: no two runs of one job at once, cluster-wide); a {@code quartz:} schedule gets {@code stateful=true}.
 * Source files need no change.
 */
@Configuration(proxyBeanMethods = false)
class ClusteredSchedules {

    private static final Logger log = LoggerFactory.getLogger(ClusteredSchedules.class);

    static final String FUNCTION = "cluster-schedule";

    @Bean
    CamelContextConfiguration clusterScheduleFunction(ClusterProperties cluster) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext context) {
                context.getPropertiesComponent().addPropertiesFunction(new ScheduleFunction(cluster.enabled()));
            }

            @Override
            public void afterApplicationStart(CamelContext context) {}
        };
    }

    @Bean
    ComponentCustomizer clusteredQuartz(
            ClusterProperties cluster, IngestorProperties properties, DataSource dataSource) {
        return ComponentCustomizer.forType(QuartzComponent.class, quartz -> {
            if (!cluster.enabled()) {
                return;
            }
            String provider = "ingestor-" + properties.nodeId();
            DBConnectionManager.getInstance().addConnectionProvider(provider, new ConnectionProvider() {
                @Override
                public Connection getConnection() throws SQLException {
                    return dataSource.getConnection();
                }

                @Override
                public void shutdown() {}

                @Override
                public void initialize() {}
            });
            Properties settings = new Properties();
            // one scheduler name for every replica: that is what makes them one cluster
            settings.put("org.quartz.scheduler.instanceName", "ingestor");
            settings.put("org.quartz.scheduler.instanceId", properties.nodeId());
            settings.put("org.quartz.scheduler.skipUpdateCheck", "true");
            settings.put("org.quartz.threadPool.threadCount", "4");
            settings.put("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
            settings.put("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
            settings.put("org.quartz.jobStore.dataSource", provider);
            settings.put("org.quartz.jobStore.tablePrefix", "qrtz_");
            settings.put("org.quartz.jobStore.isClustered", "true");
            settings.put(
                    "org.quartz.jobStore.clusterCheckinInterval",
                    String.valueOf(cluster.heartbeat().toMillis()));
            settings.put("org.quartz.jobStore.acquireTriggersWithinLock", "true");
            // a factory of our own: the component's would prefix the name with the Camel context's, depending
            // on the order its options are bound in
            quartz.setSchedulerFactory(new StdSchedulerFactory(settings));
            log.info(
                    "Clustered schedules: Quartz JDBC job store in the application database, instance {}",
                    properties.nodeId());
        });
    }

    /** {@code {{cluster-schedule:<schedule uri>}}}: see the class comment. */
    static final class ScheduleFunction implements PropertiesFunction {

        private final boolean clustered;

        ScheduleFunction(boolean clustered) {
            this.clustered = clustered;
        }

        @Override
        public String getName() {
            return FUNCTION;
        }

        @Override
        public String apply(String schedule) {
            return clustered ? clustered(schedule) : schedule;
        }

        static String clustered(String schedule) {
            try {
                if (schedule.startsWith("timer:")) {
                    int q = schedule.indexOf('?');
                    String name = (q < 0 ? schedule.substring(6) : schedule.substring(6, q)).replaceFirst("^//", "");
                    Map<String, Object> options =
                            q < 0 ? new LinkedHashMap<>() : URISupport.parseQuery(schedule.substring(q + 1));
                    Object period = options.getOrDefault("period", "1000");
                    Object delay = options.getOrDefault("delay", "1000");
                    return "quartz:" + HttpSources.GROUP + "/" + name + "?trigger.repeatInterval=" + period
                            + "&trigger.repeatCount=-1&triggerStartDelay=" + delay + "&stateful=true";
                }
                if (schedule.startsWith("quartz:") && !schedule.contains("stateful=")) {
                    return schedule + (schedule.contains("?") ? "&" : "?") + "stateful=true";
                }
                return schedule;
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("not a schedule URI: " + schedule, e);
            }
        }
    }
}
