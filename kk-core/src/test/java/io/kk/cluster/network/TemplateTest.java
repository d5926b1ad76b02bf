package io.kk.cluster.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {
    @Test
    void valuesAndNestedSections() {
        Template t = Template.of(
                "t", "a: {{a}}\n{{#on}}\nb: 1\n{{^off}}\nc: {{a}}\n{{/off}}\n{{/on}}\n{{^on}}\nd: 1\n{{/on}}\n");
        assertThat(t.render(Map.of("a", "x", "on", true, "off", false))).isEqualTo("a: x\nb: 1\nc: x\n");
        assertThat(t.render(Map.of("a", "x", "on", false, "off", false))).isEqualTo("a: x\nd: 1\n");
    }

    @Test
    void aNameWithoutAValueIsAnError() {
        assertThatThrownBy(() -> Template.of("t", "a: {{missing}}\n").render(Map.of()))
                .hasMessageContaining("t:1: no value for missing");
        assertThatThrownBy(() -> Template.of("t", "{{#x}}\n").render(Map.of("x", true)))
                .hasMessageContaining("not closed");
    }

    @Test
    void replacementsAreLiteral() {
        assertThat(Template.of("t", "v: {{a}}\n").render(Map.of("a", "$(NODEIP) \\1")))
                .isEqualTo("v: $(NODEIP) \\1\n");
    }
}
