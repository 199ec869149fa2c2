-- wrk script for `make bench`: prints one JSON line with the figures run.py reads
-- (wrk's own --latency output has no p95). With BENCH_BODY_FILE set, every request is
-- a POST of that body with a fresh Idempotency-Key and a fresh valid 999-range NHS
-- number, so each one stores a new referral.

local body_file = os.getenv("BENCH_BODY_FILE")
local prefix = os.getenv("BENCH_KEY_PREFIX") or "bench"
local auth = os.getenv("BENCH_AUTHORIZATION")
local counter = 0
local nhs_counter = 0
local template

local function nhs_number()
  -- Modulus 11 over the nine digits (weights 10..2); a check of 10 is never issued.
  while true do
    nhs_counter = nhs_counter + 1
    local nine = string.format("999%06d", (nhs_counter * 7727 + 421) % 1000000)
    local total = 0
    for i = 1, 9 do
      total = total + tonumber(nine:sub(i, i)) * (11 - i)
    end
    local check = 11 - total % 11
    if check == 11 then check = 0 end
    if check ~= 10 then return nine .. check end
  end
end

if body_file then
  local f = assert(io.open(body_file, "r"))
  template = f:read("*a")
  f:close()
  function request()
    counter = counter + 1
    local headers = {
      ["Content-Type"] = "application/json",
      ["Idempotency-Key"] = string.format("%s-%d", prefix, counter),
      ["Authorization"] = auth,
    }
    local payload = template:gsub("NHS_NUMBER", nhs_number())
    return wrk.format("POST", nil, headers, payload)
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, ' ..
    '"p99_us": %d, "max_us": %d, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "status_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
