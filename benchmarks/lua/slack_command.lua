-- Slash commands, each a different `/task add` signed in advance (Slack signs no nonce,
-- and TeamFlow refuses a signed request it has already seen), written to BENCH_FILE as
-- "<timestamp>\t<signature>\t<body>" lines. Thread i sends lines i, i + THREADS, ...
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

function init(args)
  entries = {}
  local step = tonumber(os.getenv("BENCH_THREADS"))
  local i = 0
  for line in io.lines(os.getenv("BENCH_FILE")) do
    if i % step == tid then
      local a = string.find(line, "\t", 1, true)
      local b = string.find(line, "\t", a + 1, true)
      entries[#entries + 1] = {
        string.sub(line, 1, a - 1), string.sub(line, a + 1, b - 1), string.sub(line, b + 1)
      }
    end
    i = i + 1
  end
  sent = 0
end

function request()
  sent = sent + 1
  local entry = entries[((sent - 1) % #entries) + 1]
  local headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-Slack-Request-Timestamp"] = entry[1],
    ["X-Slack-Signature"] = entry[2],
  }
  return wrk.format("POST", "/slack/events", headers, entry[3])
end
