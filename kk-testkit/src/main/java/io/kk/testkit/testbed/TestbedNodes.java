package io.kk.testkit.testbed;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Boots {@link #count()} testbed nodes once before the test class and takes them down after it
 * (also when tests fail). Tests get them as a {@link Testbed} or {@code List<TestbedNode>}
 * parameter (constructor, {@code @BeforeAll}, test methods).
 *
 * <pre>{@code
 * @TestbedNodes(count = 3)
 * class InitOsIT {
 *     @Test
 *     void prepares(Testbed testbed) { ... testbed.node(1).address() ... }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(TestbedExtension.class)
public @interface TestbedNodes {
    /** How many nodes (node1..nodeN). */
    int count() default 1;

    /**
     * Paths that are plain directories of the host's filesystem inside each node, not part of its
     * overlay root, e.g. {@code /var/lib/containerd}: containerd's and docker's overlayfs snapshots
     * fail on an overlay root.
     */
    String[] scratch() default {};
}
