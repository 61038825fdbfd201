package nl.beeldbrug.gateway.benchunguarded;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchUnguardedConfigurationTest {

    @Test
    void refusesWithoutTheVariable() {
        assertThatThrownBy(() -> BenchUnguardedConfiguration.requireOptIn(Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("BEELDBRUG_BENCH_UNGUARDED=measure-only");
    }

    @Test
    void refusesAnyOtherValue() {
        for (String value : new String[] {"", "true", "1", "yes", "MEASURE-ONLY", " measure-only"}) {
            assertThatThrownBy(() -> BenchUnguardedConfiguration.requireOptIn(Map.of("BEELDBRUG_BENCH_UNGUARDED", value)))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void startsWithTheExplicitOptIn() {
        assertThatCode(() -> BenchUnguardedConfiguration.requireOptIn(Map.of("BEELDBRUG_BENCH_UNGUARDED", "measure-only")))
                .doesNotThrowAnyException();
    }

    @Test
    void theProfileRefusesToStartWithoutTheVariable() {
        new org.springframework.boot.test.context.runner.ApplicationContextRunner()
                .withPropertyValues("spring.profiles.active=bench-unguarded")
                .withUserConfiguration(BenchUnguardedConfiguration.class)
                .run(context -> org.assertj.core.api.Assertions.assertThat(context).hasFailed()
                        .getFailure().rootCause().hasMessageContaining("for benchmarks only"));
    }
}
