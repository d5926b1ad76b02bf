package io.kk.testkit.testbed;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit 5 extension behind {@link TestbedNodes}: before the class it removes leftovers of crashed
 * earlier runs and boots the nodes in parallel; after the class it always takes them down.
 * Resolves parameters of type {@link Testbed} and {@code List<TestbedNode>}.
 */
public final class TestbedExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Testbed.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        if (context.getStore(NAMESPACE).get(Testbed.class, Testbed.class) != null) {
            return; // a @Nested class: the enclosing class's nodes serve it (stores look upwards)
        }
        TestbedNodes nodes = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), TestbedNodes.class)
                .orElseThrow(() -> new IllegalStateException("TestbedExtension needs @TestbedNodes on the class"));
        Testbed.removeLeftovers();
        context.getStore(NAMESPACE).put(Testbed.class, Testbed.start(nodes.count(), List.of(nodes.scratch())));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // remove() sees only this context's own store: a nested class leaves the nodes alone.
        Testbed testbed = context.getStore(NAMESPACE).remove(Testbed.class, Testbed.class);
        if (testbed != null) {
            testbed.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Testbed.class || (type == List.class && isListOfNodes(parameter));
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Testbed testbed = find(context);
        return parameter.getParameter().getType() == Testbed.class ? testbed : testbed.nodes();
    }

    private static Testbed find(ExtensionContext context) {
        Testbed testbed = context.getStore(NAMESPACE).get(Testbed.class, Testbed.class);
        if (testbed == null) {
            throw new ParameterResolutionException("no testbed booted: annotate the test class with @TestbedNodes");
        }
        return testbed;
    }

    private static boolean isListOfNodes(ParameterContext parameter) {
        Type type = parameter.getParameter().getParameterizedType();
        return type instanceof ParameterizedType p
                && p.getActualTypeArguments().length == 1
                && p.getActualTypeArguments()[0] == TestbedNode.class;
    }
}
