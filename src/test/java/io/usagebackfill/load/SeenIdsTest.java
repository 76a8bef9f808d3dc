package io.usagebackfill.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class SeenIdsTest {

    @Test
    void eachIdIsNewOnceAsAHashSetSaysThroughManyGrowths() {
        SeenIds seen = new SeenIds();
        Set<UUID> truth = new HashSet<>();
        Random random = new Random(12);
        for (int i = 0; i < 200_000; i++) {
            UUID id = i % 3 == 0 && i > 0 ? new UUID(random.nextInt(i), 7) : new UUID(random.nextLong(), i);
            assertThat(seen.add(id)).as("id %s", id).isEqualTo(truth.add(id));
        }
        assertThat(seen.add(new UUID(0, 0))).isTrue();
        assertThat(seen.add(new UUID(0, 0))).isFalse();
    }
}
