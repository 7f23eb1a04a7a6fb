package dev.hsdo.admin;

import dev.hsdo.controller.TenantBook;
import dev.hsdo.discovery.tenants.TenantFile;
import dev.hsdo.model.Plan;
import dev.hsdo.model.TenantTable;
import dev.hsdo.store.PlanJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/tenants}: read the table, set or delete one tenant's shard, import many ({@code tenant,shard}
 * CSV lines; {@code ?replace=true} makes the import the whole table). Writes need the bearer token and go to
 * the table's source through the controller's {@link TenantBook}; an entry that could break a map line or a
 * command, or names an unknown shard, is refused with the reason and the rest applies.
 */
final class TenantsApi {
    static final String PATH = "/api/v1/tenants";
    /** Largest bulk import accepted (about 3 million short entries). */
    private static final int MAX_BODY = 64 * 1024 * 1024;

    private TenantsApi() {}

    /** A reply: status and JSON body. */
    record Answer(int status, Object body) {}

    /** Answers a read; {@code book} null on a node without a controller (a fleet agent): the plan's table is shown. */
    static Answer read(String path, Plan plan, TenantBook book) {
        TenantTable table = book != null && book.table() != null ? book.table() : plan.tenants();
        String tenant = tenant(path);
        if (tenant != null) {
            String shard = table.entries().get(tenant);
            if (shard == null) return new Answer(404, Map.of("error", "no tenant " + dev.hsdo.model.Tokens.show(tenant)));
            return new Answer(200, Map.of("tenant", tenant, "shard", shard));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("generation", plan.generation());
        doc.put("entries", table.entries().size());
        doc.put("sourceError", book == null ? null : book.error());
        doc.put("rejected", table.rejected());
        doc.put("tenants", table.entries());
        return new Answer(200, doc);
    }

    /** Answers an authorised write. */
    static Answer write(String method, String path, byte[] body, boolean replace, TenantBook book) throws IOException {
        if (book == null) return new Answer(409, Map.of("error", "this node has no controller: write tenants to the controller"));
        String tenant = tenant(path);
        String text = new String(body, StandardCharsets.UTF_8);
        Map<String, String> changes = new LinkedHashMap<>();
        switch (method) {
            case "PUT" -> {
                if (tenant == null) return new Answer(405, Map.of("error", "PUT needs a tenant: " + PATH + "/{tenant}"));
                changes.put(tenant, text.strip());
            }
            case "DELETE" -> {
                if (tenant == null) return new Answer(405, Map.of("error", "DELETE needs a tenant: " + PATH + "/{tenant}"));
                TenantTable t = book.table();
                if (t == null || !t.entries().containsKey(tenant))
                    return new Answer(404, Map.of("error", "no tenant " + dev.hsdo.model.Tokens.show(tenant)));
                changes.put(tenant, null);
            }
            case "POST" -> {
                if (tenant != null) return new Answer(405, Map.of("error", "POST imports CSV at " + PATH));
                try {
                    changes.putAll(TenantFile.parseCsv(text, "request body"));
                } catch (IllegalArgumentException e) {
                    return new Answer(400, Map.of("error", e.getMessage()));
                }
            }
            default -> {
                return new Answer(405, Map.of("error", "method not allowed"));
            }
        }
        List<TenantTable.Rejection> refused = book.write(changes, replace && method.equals("POST"));
        if (!method.equals("POST") && !refused.isEmpty())
            return new Answer(400, Map.of("error", refused.getFirst().reason()));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("applied", changes.size() - refused.size());
        doc.put("rejected", refused);
        return new Answer(200, doc);
    }

    static int maxBody() {
        return MAX_BODY;
    }

    /** The tenant of {@code /api/v1/tenants/{tenant}} (already URL-decoded), or null for the collection. */
    private static String tenant(String path) {
        if (path.length() <= PATH.length() + 1) return null;
        return path.substring(PATH.length() + 1);
    }

    /** The body as JSON text. */
    static String json(Object body) {
        try {
            return PlanJson.mapper().writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
