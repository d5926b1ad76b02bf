package io.kk.cli;

import java.lang.reflect.Constructor;
import picocli.CommandLine;

/** Gives every command that wants it the run's {@link Console} through its constructor. */
final class CommandFactory implements CommandLine.IFactory {
    private final Console console;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    CommandFactory(Console console) {
        this.console = console;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
        for (Constructor<?> c : cls.getDeclaredConstructors()) {
            if (c.getParameterCount() == 1 && c.getParameterTypes()[0] == Console.class) {
                c.setAccessible(true);
                return cls.cast(c.newInstance(console));
            }
        }
        return fallback.create(cls);
    }
}
