-- wrk's script for ``make bench`` (cerfa/pdf/bench_served.py): each connection is a
-- visitor of its own, with its own contract's session cookie, asking for its pages in turn.
--
--   wrk -t N -c N -d 5s -s pages.lua URL -- PLAN
--
-- PLAN is a file written by the bench, one visitor a line: its Cookie header, a tab, then
-- the paths it asks for, separated by spaces. One thread per connection (-t = -c): a wrk
-- thread's Lua state is shared by its connections, so a thread of one connection is how a
-- connection keeps its own cookie. Thread i takes line i (modulo the number of lines).
--
-- When done, one line « cerfa-wrk {json} » gives what the bench reads: requests, seconds,
-- the answers that were not 200 and wrk's socket errors.

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local paths = {}
local headers = {}
local position = 0
failures = 0
statuses = ""

local function split(text, separator)
  local parts = {}
  for part in string.gmatch(text, "[^" .. separator .. "]+") do
    table.insert(parts, part)
  end
  return parts
end

function init(args)
  local lines = {}
  for line in io.lines(args[1]) do
    if line ~= "" then
      table.insert(lines, line)
    end
  end
  local mine = lines[(id % #lines) + 1]
  local cookie, rest = string.match(mine, "^([^\t]*)\t(.*)$")
  paths = split(rest, " ")
  if cookie ~= "" then
    headers["Cookie"] = cookie
  end
  headers["Accept"] = "text/html"
end

function request()
  position = position % #paths + 1
  return wrk.format("GET", paths[position], headers)
end

function response(status, response_headers, body)
  if status ~= 200 then
    failures = failures + 1
    -- The first few statuses seen, to say what went wrong.
    if #statuses < 40 then
      statuses = statuses .. status .. " "
    end
  end
end

function done(summary, latency, requests)
  local failed = 0
  local seen = ""
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("failures")
    seen = seen .. thread:get("statuses")
  end
  local e = summary.errors
  io.write(string.format(
    'cerfa-wrk {"requests": %d, "seconds": %.6f, "failures": %d, "statuses": "%s", '
      .. '"connect": %d, "read": %d, "write": %d, "timeout": %d, '
      .. '"p50_ms": %.3f, "p99_ms": %.3f}\n',
    summary.requests, summary.duration / 1e6, failed, seen,
    e.connect, e.read, e.write, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000
  ))
end
