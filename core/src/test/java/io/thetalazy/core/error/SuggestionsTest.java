package io.thetalazy.core.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

final class SuggestionsTest {
    @Test
    void suggestsTheClosestNameWithinReach() {
        List<String> valid = List.of("width", "depth", "activation");
        assertThat(Suggestions.closest("widht", valid)).contains("width");
        assertThat(Suggestions.closest("Depth", valid)).contains("depth");
        assertThat(Suggestions.closest("zzzzzzzz", valid)).isEmpty();
        assertThat(Suggestions.closest("fnc", List.of("cnn", "fcn"))).as("a transposition is one edit").contains("fcn");
        assertThat(Suggestions.unknown("rule", "ntc", List.of("ntk", "mup")))
                .hasMessage("Unknown rule 'ntc' (did you mean 'ntk'?); valid: [mup, ntk]");
    }
}
