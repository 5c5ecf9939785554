package io.camelingestor.web.security;

import org.jolokia.server.core.service.notification.BackendCallback;
import org.jolokia.server.core.service.notification.NotificationSubscription;
import org.jolokia.service.notif.pull.PullNotificationBackend;
import org.jolokia.service.notif.sse.SseNotificationBackend;

/**
 * Jolokia's notification backends (pull and server-sent events), adding a listener for the admin only. Jolokia
 * 2.6 asks its {@link org.jolokia.server.core.service.api.Restrictor} nothing about {@code notification}
 * requests, so a viewer could otherwise register listeners on any MBean, each holding notifications in the
 * service's memory. Jolokia finds these through {@code META-INF/jolokia/services}; its own two are disabled
 * ({@code management.endpoint.jolokia.config.disabledServices}).
 */
final class AdminOnlyNotifications {

    private AdminOnlyNotifications() {}

    static void requireAdmin() {
        if (!JolokiaRestrictor.callerIsAdmin()) {
            throw new SecurityException("notification listeners are for the admin only");
        }
    }

    /** Jolokia's pull backend ({@code mode: "pull"}), for the admin only. */
    public static class Pull extends PullNotificationBackend {
        public Pull() {
            this(0);
        }

        public Pull(int order) {
            super(order);
        }

        @Override
        public BackendCallback subscribe(NotificationSubscription subscription) {
            requireAdmin();
            return super.subscribe(subscription);
        }
    }

    /** Jolokia's server-sent events backend ({@code mode: "sse"}), for the admin only. */
    public static class Sse extends SseNotificationBackend {
        public Sse() {
            this(0);
        }

        public Sse(int order) {
            super(order);
        }

        @Override
        public BackendCallback subscribe(NotificationSubscription subscription) {
            requireAdmin();
            return super.subscribe(subscription);
        }
    }
}
