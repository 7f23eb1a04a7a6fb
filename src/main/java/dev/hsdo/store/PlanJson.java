package dev.hsdo.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.hsdo.model.Plan;

/** The JSON form of a plan, the same in every store. Reading re-checks the digest against the content. */
public final class PlanJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private PlanJson() {}

    /** The plan as JSON text. */
    public static String write(Plan plan) {
        try {
            return MAPPER.writeValueAsString(plan);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise plan " + plan.generation(), e);
        }
    }

    /** The plan in {@code json}; {@code origin} names where it came from in the error. */
    public static Plan read(String json, String origin) throws StoreException {
        try {
            return MAPPER.readValue(json, Plan.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new StoreException(origin + ": not a valid plan: " + e.getMessage(), e);
        }
    }

    /** The shared mapper, for status documents that embed plans. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
