-- wrk script of `bench/run tenant-routing`: every request carries the `username` cookie of a tenant picked at
-- random from the table; every origin answers "<its shard> <the username cookie it got>", so each
-- response is checked against the tenant's shard in the table, whatever order the connections answer in.
--
-- Arguments (after --): the table as CSV lines "tenant,shard", then "check" (count misrouted answers)
-- or "none" (the no-lookup case: every request goes to one shard by design, only non-2xx are counted).
-- done() prints one line "RESULT key=value ..." that TenantRoutingBench parses (latencies in microseconds).

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  expected, pool = {}, {}
  for line in io.lines(args[1]) do
    local tenant, shard = string.match(line, "^([^,]+),([^,]+)$")
    if tenant ~= nil then
      expected[tenant] = shard
      pool[#pool + 1] = wrk.format("GET", "/", { ["Cookie"] = "username=" .. tenant })
    end
  end
  if #pool == 0 then error("no tenant,shard lines in " .. tostring(args[1])) end
  check = args[2] == "check"
  math.randomseed(id * 7919 + os.time())
  ok, non2xx, misrouted, unanswered = 0, 0, 0, 0
  seen, wrong = {}, {}   -- tenants answered (2xx), tenants answered by a wrong shard at least once
end

function request()
  return pool[math.random(#pool)]
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    return
  end
  ok = ok + 1
  if not check then return end
  local shard, tenant = string.match(body or "", "^(%S+) (%S+)")
  if tenant == nil or expected[tenant] == nil then
    unanswered = unanswered + 1
    return
  end
  seen[tenant] = true
  if shard ~= expected[tenant] then
    misrouted = misrouted + 1
    wrong[tenant] = true
  end
end

local function count(set)
  local n = 0
  for _ in pairs(set) do n = n + 1 end
  return n
end

function done(summary, latency, requests)
  local sum = { ok = 0, non2xx = 0, misrouted = 0, unanswered = 0 }
  local seen, wrong = {}, {}
  for _, thread in ipairs(threads) do
    for key in pairs(sum) do sum[key] = sum[key] + thread:get(key) end
    for tenant in pairs(thread:get("seen")) do seen[tenant] = true end
    for tenant in pairs(thread:get("wrong")) do wrong[tenant] = true end
  end
  local e = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d"
      .. " ok=%d non2xx=%d misrouted=%d unanswered=%d users=%d wrong_users=%d"
      .. " connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency.max, sum.ok, sum.non2xx, sum.misrouted, sum.unanswered,
      count(seen), count(wrong), e.connect, e.read, e.write, e.timeout))
end
