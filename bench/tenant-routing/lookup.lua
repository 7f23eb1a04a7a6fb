-- Case (a) of `bench/run tenant-routing`: the sharding write-up's design, rebuilt from its description.
-- For every request an HTTP action asks a lookup service for the shard of the tenant named by the
-- `username` cookie, with one blocking HTTP GET on a new connection, and the frontend routes by the
-- answer (`use_backend %[var(txn.shard)]`). When the lookup fails (refused, timed out, not a 200) the
-- variable stays unset and the frontend's default backend takes the request, without an error: that
-- silent fallback is what the benchmark counts as misrouting.
--
-- Set in the global section before `lua-load`: TENANT_LOOKUP (host:port of the lookup service) and
-- TENANT_LOOKUP_TIMEOUT (seconds per socket operation, default 1). The admin socket command
-- `tenant lookups` prints how the lookups ended so far (the benchmark reads it around every run), so a
-- misrouted request can be traced to its cause.

local host, port = string.match(os.getenv("TENANT_LOOKUP") or "", "^([%d.]+):(%d+)$")
if host == nil then error("TENANT_LOOKUP must be set to host:port of the lookup service") end
port = tonumber(port)
local timeout = tonumber(os.getenv("TENANT_LOOKUP_TIMEOUT") or "1")

-- One Lua state serves every HAProxy thread (lua-load, not lua-load-per-thread), under HAProxy's Lua
-- lock, so plain increments are safe.
local ended = { ok = 0, connect_failed = 0, no_answer = 0, not_200 = 0, no_tenant = 0 }

local function lookup(txn)
  local tenant = txn.f:req_cook("username")
  -- Only ids that cannot change the request line are sent; anything else takes the default shard.
  if tenant == nil or not string.match(tenant, "^[%w._-]+$") then
    ended.no_tenant = ended.no_tenant + 1
    return
  end
  local socket = core.tcp()
  socket:settimeout(timeout)
  if socket:connect(host, port) == nil then
    socket:close()
    ended.connect_failed = ended.connect_failed + 1
    return
  end
  socket:send("GET /shard?tenant=" .. tenant .. " HTTP/1.1\r\nHost: lookup\r\nConnection: close\r\n\r\n")
  local reply = socket:receive("*a")
  socket:close()
  if reply == nil then
    ended.no_answer = ended.no_answer + 1
    return
  end
  local status, shard = string.match(reply, "^HTTP/1%.%d (%d+).-\r\n\r\n([%w._-]+)")
  if status == "200" and shard ~= nil then
    txn:set_var("txn.shard", shard)
    ended.ok = ended.ok + 1
  else
    ended.not_200 = ended.not_200 + 1
  end
end

core.register_action("tenant_lookup", { "http-req" }, lookup, 0)

core.register_cli({ "tenant", "lookups" }, "tenant lookups: how the Lua tenant lookups ended so far", function(applet)
  applet:send(string.format("ok=%d connect_failed=%d no_answer=%d not_200=%d no_tenant=%d\n", ended.ok,
      ended.connect_failed, ended.no_answer, ended.not_200, ended.no_tenant))
end)
