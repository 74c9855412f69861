-- GitHub `issues` deliveries: each body (a different issue) was signed in advance and
-- written to BENCH_FILE as "<signature>\t<body>" lines; the delivery id, which GitHub does
-- not sign, is made unique here. Thread i sends lines i, i + THREADS, ...
local counter = 0
local threads = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  threads = counter
end

function init(args)
  entries = {}
  local step = tonumber(os.getenv("BENCH_THREADS"))
  local i = 0
  for line in io.lines(os.getenv("BENCH_FILE")) do
    if i % step == tid then
      local tab = string.find(line, "\t", 1, true)
      entries[#entries + 1] = { string.sub(line, 1, tab - 1), string.sub(line, tab + 1) }
    end
    i = i + 1
  end
  sent = 0
  run = os.getenv("BENCH_RUN")
  path = os.getenv("BENCH_PATH")
end

function request()
  sent = sent + 1
  local entry = entries[((sent - 1) % #entries) + 1]
  local headers = {
    ["Content-Type"] = "application/json",
    ["User-Agent"] = "GitHub-Hookshot/bench",
    ["X-GitHub-Event"] = "issues",
    ["X-GitHub-Delivery"] = run .. "-" .. tid .. "-" .. sent,
    ["X-Hub-Signature-256"] = entry[1],
  }
  return wrk.format("POST", path, headers, entry[2])
end
