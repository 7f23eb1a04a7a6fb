package dev.hsdo.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.hsdo.model.Plan;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

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

    /**
     * The plan as gzip-compressed compact JSON, for networked stores: a 10 000-server plan shrinks about
     * twentyfold, which keeps it inside one etcd request and few DynamoDB items.
     */
    public static byte[] bytes(Plan plan) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValue(gz, plan);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise plan " + plan.generation(), e);
        }
        return out.toByteArray();
    }

    /** The plan in {@code data} as written by {@link #bytes}; {@code origin} names where it came from in the error. */
    public static Plan fromBytes(byte[] data, String origin) throws StoreException {
        String json;
        try (GZIPInputStream gz = new GZIPInputStream(new ByteArrayInputStream(data))) {
            json = new String(gz.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StoreException(origin + ": not a compressed plan: " + e.getMessage(), e);
        }
        return read(json, origin);
    }

    /** The shared mapper, for status documents that embed plans. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
