package io.camelingestor.batch;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Test instrumentation, not a mock: the application's real {@link DataSource} behind a JDK proxy that notes, per
 * thread, every statement sent to PostgreSQL (each {@code execute*} call is one round trip; a JDBC batch counts
 * once) and every commit and rollback. The statements still run against the real database. A COPY goes through
 * {@code unwrap(PGConnection)}, which the proxy passes on: it is noted as {@code unwrap}, not as a statement.
 */
public final class CountingDataSource {

    /** One call that reached the database: the thread it ran on, what it was, and its SQL when it had any. */
    public record Call(String thread, String kind, String sql) {
        public boolean isStatement() {
            return kind.startsWith("execute");
        }

        public boolean isCommit() {
            return kind.equals("commit") || kind.equals("autocommit");
        }
    }

    private static final Set<String> EXECUTES = Set.of(
            "execute", "executeQuery", "executeUpdate", "executeBatch", "executeLargeUpdate", "executeLargeBatch");

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private volatile boolean recording;
    private volatile Predicate<String> threads = t -> true;

    /** Starts noting the calls of the threads {@code threads} accepts, forgetting earlier ones. */
    public void record(Predicate<String> threads) {
        calls.clear();
        this.threads = threads;
        recording = true;
    }

    public List<Call> stop() {
        recording = false;
        return List.copyOf(calls);
    }

    private void note(String kind, String sql) {
        String thread = Thread.currentThread().getName();
        if (recording && threads.test(thread)) {
            calls.add(new Call(thread, kind, sql == null ? null : sql.strip().replaceAll("\\s+", " ")));
        }
    }

    DataSource wrap(DataSource dataSource) {
        return proxy(DataSource.class, dataSource, (target, method, args) -> {
            Object result = invoke(target, method, args);
            return result instanceof Connection c ? connection(c) : result;
        });
    }

    private Connection connection(Connection connection) {
        return proxy(Connection.class, connection, (target, method, args) -> {
            String name = method.getName();
            if (name.equals("commit") || name.equals("rollback") && (args == null || args.length == 0)) {
                note(name, null);
            }
            if (name.equals("setSavepoint")
                    || name.equals("releaseSavepoint")
                    || name.equals("rollback") && args != null && args.length == 1) {
                note("execute" + name.substring(0, 1).toUpperCase() + name.substring(1), null); // SQL sent at once
            }
            if (name.equals("unwrap")) {
                note("unwrap", String.valueOf(args[0]));
            }
            Object result = invoke(target, method, args);
            if (result instanceof PreparedStatement p) {
                String sql = (String) args[0];
                return proxy(PreparedStatement.class, p, statementHandler(connection, sql));
            }
            if (result instanceof Statement s) {
                return proxy(Statement.class, s, statementHandler(connection, null));
            }
            return result;
        });
    }

    private Handler statementHandler(Connection connection, String preparedSql) {
        StringBuilder batch = new StringBuilder();
        return (target, method, args) -> {
            String name = method.getName();
            if (name.equals("addBatch") && args != null && args.length == 1) {
                batch.append(args[0]).append("; ");
            }
            if (EXECUTES.contains(name)) {
                String sql = args != null && args.length > 0 && args[0] instanceof String s
                        ? s
                        : preparedSql != null ? preparedSql : batch.toString();
                boolean auto = connection.getAutoCommit();
                note(name, sql);
                if (auto) {
                    note("autocommit", null); // a statement outside a transaction commits by itself
                }
            }
            return invoke(target, method, args);
        };
    }

    private interface Handler {
        Object handle(Object target, Method method, Object[] args) throws Throwable;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, T target, Handler handler) {
        InvocationHandler h = (p, method, args) -> {
            if (method.getName().equals("unwrap") && args[0] instanceof Class<?> c && c.isInstance(target)) {
                return target;
            }
            return handler.handle(target, method, args);
        };
        // a data source stays closeable: the context closes its pool through the wrapper
        Class<?>[] types = target instanceof java.io.Closeable && type == DataSource.class
                ? new Class<?>[] {type, java.io.Closeable.class}
                : new Class<?>[] {type};
        return (T) Proxy.newProxyInstance(CountingDataSource.class.getClassLoader(), types, h);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Imported by a test: the context's data source, wrapped; the bean {@code countingDataSource} reads it. */
    @TestConfiguration(proxyBeanMethods = false)
    public static class Config {

        @Bean
        static CountingDataSource countingDataSource() {
            return new CountingDataSource();
        }

        @Bean
        static BeanPostProcessor countStatements(
                org.springframework.beans.factory.ObjectProvider<CountingDataSource> counter) {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    return bean instanceof DataSource d && beanName.equals("dataSource")
                            ? counter.getObject().wrap(d)
                            : bean;
                }
            };
        }
    }
}
