package dev.hsdo.agent;

import dev.hsdo.config.TenantsConfig;
import dev.hsdo.haproxy.Commands;
import dev.hsdo.haproxy.MapEntry;
import dev.hsdo.haproxy.MapInfo;
import dev.hsdo.haproxy.Reply;
import dev.hsdo.haproxy.RuntimeApi;
import dev.hsdo.haproxy.RuntimeApiException;
import dev.hsdo.haproxy.TenantRules;
import dev.hsdo.model.TenantTable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps HAProxy's tenant map equal to the plan's table without a reload. A small change is sent entry by entry
 * ({@code set map} / {@code add map} / {@code del map}); a large one, or a map holding a key twice, is swapped
 * in whole: {@code prepare map}, the entries into the new version in payloads of about 14 KB, {@code commit map}
 * — requests see the old table or the new one, never a mix. Every change is read back ({@code show map}).
 *
 * <p>HAProxy's map listing ({@code show map}: version and entry count, cheap whatever the size) tells whether the
 * map is still as last verified. While it is, a quiet round reads nothing more, and a small change is diffed
 * against the verified table in memory, sent, and read back entry by entry ({@code get map}) plus the count, all
 * in one exchange that starts with the listing (a listing that no longer matches sends the round on to the whole
 * read below, which repairs whatever the change met). Otherwise (first round, a restart, a count that moved, a
 * large change) the whole map is read, diffed and read back.
 *
 * <p>A hand-made {@code set map} keeps the listing's version and count. So the whole map is also read back once
 * every verify interval ({@code tenants.verify-interval}), off the agent's round: {@link #dueCheck} (under the
 * round lock) says what was last verified, {@link #differs} reads and compares without the lock (a million
 * entries: ~0.15 s of HAProxy's CPU, ~1 s of parsing here, during which moves go on), and {@link #checked} (under
 * the lock again) keeps the answer only if no round changed the map meanwhile. A difference is drift: the next
 * round reads the whole map, puts it right and reports it ({@link #lastDrift()}). Reading back entry by entry
 * ({@code get map}) instead was measured at ~30 times HAProxy's CPU per entry. Not thread-safe except
 * {@link #differs}: the agent's round lock guards it.
 */
final class TenantSync {
    /** More changed entries than this are swapped in whole rather than sent one by one. */
    static final int SWAP_ABOVE = 1000;
    /** Payload commands per batch: each is ~14 KB, a batch stays within the client's per-command time budget. */
    private static final int PAYLOADS_PER_BATCH = 64;
    private static final Pattern VERSION = Pattern.compile("New version created: (\\d+)");

    private final TenantsConfig config;
    private final String map;
    private static final Pattern GOT = Pattern.compile("(?s).*found=yes.*value=\"([^\"]*)\".*");
    private String verifiedDigest;
    private TenantTable verifiedTable;
    private MapInfo verifiedInfo;
    private int lastChanges;
    private boolean lastSwapped;
    private final Clock clock;
    private final Duration verifyEvery;
    // when the whole map was last read back and found as verified (null: due), and whether that read found drift
    // that the next sync must repair
    private Instant checkedAt;
    private boolean driftFound;
    // the entries found drifted by the last sync (0: none)
    private int lastDrift;
    private String firstDrift;

    /** @param clock decides when the whole map is read back again ({@link TenantsConfig#verifyInterval()}) */
    TenantSync(TenantsConfig config, Clock clock) {
        this.config = config;
        this.map = config.mapFile().toString();
        this.clock = clock;
        this.verifyEvery = config.verifyInterval();
    }

    /** Entries of HAProxy's map the last sync found different from a table hsdo had not changed (drift), repaired. */
    int lastDrift() {
        return lastDrift;
    }

    /** The first drifted entry of the last sync that found drift, as the repairing command, else null. */
    String firstDrift() {
        return firstDrift;
    }

    /** Changed entries of the last round that changed something, and whether it swapped the whole map. */
    int lastChanges() {
        return lastChanges;
    }

    boolean lastSwapped() {
        return lastSwapped;
    }

    /**
     * Brings the map to {@code table}; returns null when HAProxy was verified to hold it, else what is wrong.
     *
     * @throws RuntimeApiException when HAProxy cannot be reached
     */
    String sync(RuntimeApi api, TenantTable table) throws RuntimeApiException {
        lastDrift = 0;
        // The table hsdo last verified, unchanged: differences found are drift.
        boolean unchanged = verifiedDigest != null && table.digest().equals(verifiedDigest);
        // A small change from the table HAProxy was last verified to hold: diffed in memory, sent and read back
        // entry by entry in one exchange, rather than reading a million lines twice.
        if (verifiedTable != null && !unchanged && !driftFound) {
            List<String> keys = new ArrayList<>();
            List<String> changes = changes(verifiedTable, table, keys);
            if (changes.size() <= SWAP_ABOVE) {
                List<Reply> replies = sendSmall(api, changes, keys);
                if (replies != null) return checkSmall(table, changes, keys, replies);
            }
        }
        MapInfo info = MapInfo.parse(api.call("show map")).get(map);
        if (info == null)
            return "tenant map " + map + " is not loaded by HAProxy (no frontend of its config reads it)";
        if (unchanged && !driftFound && info.equals(verifiedInfo)) return null;
        // The whole map is read here: the next verify read is due an interval from now.
        checkedAt = clock.instant();
        Map<String, String> desired = desired(table);
        List<String> changes = new ArrayList<>();
        boolean swap = diff(api.showMap(map), desired, changes);
        if (unchanged && (swap || !changes.isEmpty())) {
            lastDrift = Math.max(changes.size(), 1);
            firstDrift = changes.isEmpty() ? "a key listed twice or not a tenant id" : changes.getFirst();
        }
        if (swap || changes.size() > SWAP_ABOVE) {
            String failed = swap(api, table);
            if (failed != null) return failed;
            lastChanges = Math.max(changes.size(), 1);
            lastSwapped = true;
        } else if (!changes.isEmpty()) {
            for (Reply r : api.execute(changes))
                if (!r.ok()) return "tenant map: " + r.command() + ": " + r.error();
            lastChanges = changes.size();
            lastSwapped = false;
        }
        if (!swap && changes.isEmpty()) return verified(table, info);
        List<String> left = new ArrayList<>();
        if (diff(api.showMap(map), desired, left) || !left.isEmpty())
            return "tenant map " + map + ": " + Math.max(left.size(), 1) + " entries still differ after the change (first: " + (left.isEmpty() ? "a key listed twice" : left.getFirst()) + ")";
        return verified(table, MapInfo.parse(api.call("show map")).get(map));
    }

    private String verified(TenantTable table, MapInfo info) {
        verifiedDigest = table.digest();
        verifiedTable = table;
        verifiedInfo = info;
        // Drift a verify read found is repaired only once a sync succeeds: until then every round reads the map whole.
        driftFound = false;
        return null;
    }

    /** What a verify read compares HAProxy's map with: the table last verified, and its listing then. */
    record Check(TenantTable table, String digest, MapInfo info) {}

    /** Under the round lock: what to compare the whole map with, when a verify read is due; else null. */
    Check dueCheck() {
        if (verifiedTable == null || driftFound) return null;
        if (checkedAt != null && clock.instant().isBefore(checkedAt.plus(verifyEvery))) return null;
        return new Check(verifiedTable, verifiedDigest, verifiedInfo);
    }

    /**
     * Without the round lock: reads the whole map and tells whether it differs from {@code check}'s table (an entry
     * wrong, missing or extra, or a key listed twice). Uses only what does not change after construction.
     */
    boolean differs(RuntimeApi api, Check check) throws RuntimeApiException {
        List<String> changes = new ArrayList<>();
        return diff(api.showMap(map), desired(check.table()), changes) || !changes.isEmpty();
    }

    /**
     * Under the round lock: takes the answer of a verify read, unless a round changed the map while it read (it is
     * then due again). Returns true when it found drift, which the next round repairs.
     */
    boolean checked(Check check, boolean differs) {
        if (!check.digest().equals(verifiedDigest) || !check.info().equals(verifiedInfo)) return false;
        checkedAt = clock.instant();
        driftFound = differs;
        return differs;
    }

    /** The map's lines as tenant → backend. */
    private Map<String, String> desired(TenantTable table) {
        Map<String, String> desired = new HashMap<>(table.entries().size() * 2);
        for (Map.Entry<String, String> e : table.entries().entrySet()) desired.put(e.getKey(), config.backend(e.getValue()));
        return desired;
    }

    /** The commands from {@code from} to {@code to}, both sorted by tenant; the tenants concerned go to {@code keys}. */
    private List<String> changes(TenantTable from, TenantTable to, List<String> keys) {
        List<String> commands = new ArrayList<>();
        var a = from.entries().entrySet().iterator();
        var b = to.entries().entrySet().iterator();
        Map.Entry<String, String> x = a.hasNext() ? a.next() : null;
        Map.Entry<String, String> y = b.hasNext() ? b.next() : null;
        while (x != null || y != null) {
            int c = x == null ? 1 : y == null ? -1 : x.getKey().compareTo(y.getKey());
            if (c < 0) {
                commands.add("del map " + map + " " + x.getKey());
                keys.add(x.getKey());
            } else if (c > 0) {
                commands.add("add map " + map + " " + TenantRules.line(config, y.getKey(), y.getValue()));
                keys.add(y.getKey());
            } else if (!x.getValue().equals(y.getValue()) && !config.backend(x.getValue()).equals(config.backend(y.getValue()))) {
                commands.add("set map " + map + " " + TenantRules.line(config, y.getKey(), y.getValue()));
                keys.add(y.getKey());
            }
            if (c <= 0) x = a.hasNext() ? a.next() : null;
            if (c >= 0) y = b.hasNext() ? b.next() : null;
        }
        return commands;
    }

    // Lists the maps, sends the changes, then reads each changed entry back (get map) and lists the maps again,
    // all in one exchange: HAProxy runs them in order, so the reads see the changes. Returns the replies after the
    // first listing, or null when that listing is not as last verified (a restart, a hand-made add or del): the
    // changes then went to a map that may differ elsewhere too, and the caller reads it whole, which repairs both.
    private List<Reply> sendSmall(RuntimeApi api, List<String> changes, List<String> keys) throws RuntimeApiException {
        List<String> commands = new ArrayList<>(changes.size() + keys.size() + 2);
        commands.add("show map");
        commands.addAll(changes);
        for (String k : keys) commands.add("get map " + map + " " + k);
        commands.add("show map");
        List<Reply> all = api.execute(commands);
        Reply before = all.getFirst();
        if (!before.ok()) throw new RuntimeApiException("show map: " + before.error());
        if (!verifiedInfo.equals(MapInfo.parse(before.output()).get(map))) {
            forget();
            return null;
        }
        return all.subList(1, all.size());
    }

    // Checks the replies of sendSmall: every change accepted, every changed entry reads as planned, the count right.
    private String checkSmall(TenantTable table, List<String> changes, List<String> keys, List<Reply> replies) throws RuntimeApiException {
        for (Reply r : replies.subList(0, changes.size()))
            if (!r.ok()) {
                forget();
                return "tenant map: " + r.command() + ": " + r.error();
            }
        List<Reply> got = replies.subList(changes.size(), changes.size() + keys.size());
        for (int i = 0; i < keys.size(); i++) {
            String want = table.entries().containsKey(keys.get(i)) ? config.backend(table.entries().get(keys.get(i))) : null;
            Matcher m = GOT.matcher(got.get(i).output());
            String have = m.matches() ? m.group(1) : null;
            if (!java.util.Objects.equals(want, have)) {
                forget();
                return "tenant map " + map + ": " + keys.get(i) + " reads " + have + " after the change, expected " + want;
            }
        }
        Reply listing = replies.getLast();
        if (!listing.ok()) throw new RuntimeApiException("show map: " + listing.error());
        MapInfo after = MapInfo.parse(listing.output()).get(map);
        if (after == null || after.entryCount() != table.entries().size()) {
            forget();
            return "tenant map " + map + ": " + (after == null ? "gone" : after.entryCount() + " entries") + " after the change, expected "
                    + table.entries().size();
        }
        lastChanges = changes.size();
        lastSwapped = false;
        return verified(table, after);
    }

    /** Forgets what was verified, so the next round reads the whole map (HAProxy restarted). */
    void forget() {
        verifiedDigest = null;
        verifiedTable = null;
        verifiedInfo = null;
        checkedAt = null;
        driftFound = false;
    }

    /**
     * Adds to {@code commands} what takes {@code observed} to {@code desired} entry by entry; true when the map
     * holds a key more than once ({@code add map} of a present key adds a second entry), which only a swap clears.
     */
    private boolean diff(List<MapEntry> observed, Map<String, String> desired, List<String> commands) {
        Map<String, String> seen = new HashMap<>(observed.size() * 2);
        boolean duplicates = false;
        for (MapEntry e : observed) if (seen.put(e.key(), e.value()) != null) duplicates = true;
        for (Map.Entry<String, String> e : desired.entrySet()) {
            String have = seen.get(e.getKey());
            if (have == null) commands.add("add map " + map + " " + e.getKey() + " " + e.getValue());
            else if (!have.equals(e.getValue())) commands.add("set map " + map + " " + e.getKey() + " " + e.getValue());
        }
        for (String key : seen.keySet())
            // A key HAProxy lists that no tenant id could be (hand-made): only a swap can remove it safely.
            if (!desired.containsKey(key)) {
                if (dev.hsdo.model.TenantIds.isTenant(key)) commands.add("del map " + map + " " + key);
                else duplicates = true;
            }
        commands.sort(null);
        return duplicates;
    }

    /** Replaces the whole map atomically; null on success, else why it was left as it was. */
    private String swap(RuntimeApi api, TenantTable table) throws RuntimeApiException {
        Matcher m = VERSION.matcher(api.call("prepare map " + map).strip());
        if (!m.matches()) return "tenant map " + map + ": prepare map gave no version number";
        String version = m.group(1);
        String head = "add map @" + version + " " + map + " <<";
        List<String> batch = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        int length = head.length() + 2;
        for (Map.Entry<String, String> e : table.entries().entrySet()) {
            String line = TenantRules.line(config, e.getKey(), e.getValue());
            if (length + line.length() + 1 > Commands.MAX_PAYLOAD_LENGTH) {
                batch.add(Commands.payload(head, lines));
                lines = new ArrayList<>();
                length = head.length() + 2;
                if (batch.size() == PAYLOADS_PER_BATCH) {
                    String failed = send(api, batch);
                    if (failed != null) return failed;
                    batch.clear();
                }
            }
            lines.add(line);
            length += line.length() + 1;
        }
        if (!lines.isEmpty()) batch.add(Commands.payload(head, lines));
        batch.add("commit map @" + version + " " + map);
        return send(api, batch);
    }

    private String send(RuntimeApi api, List<String> batch) throws RuntimeApiException {
        for (Reply r : api.execute(batch))
            if (!r.ok()) return "tenant map " + map + ": " + r.command().lines().findFirst().orElse("") + ": " + r.error()
                    + " (the map was left as it was)";
        return null;
    }
}
