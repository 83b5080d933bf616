-- wrk script: POST /api/v1/departures with varied travellers (bench/run-http.sh).
-- The token comes from the environment (LINTAS_TOKEN).
local token = os.getenv("LINTAS_TOKEN")
local given = {"ANDI", "SITI", "BUDI", "DEWI", "AGUS", "RINA", "HENDRA", "PUTRI", "JOKO", "SARI"}
local family = {"SANTOSO", "WIJAYA", "HIDAYAT", "LESTARI", "SAPUTRA", "RAHAYU", "KUSUMA", "PRATAMA"}
local dest = {"JPN", "SGP", "MYS", "KHM", "THA", "SAU", "KOR", "VNM"}
local n = 0
math.randomseed(42)

request = function()
  n = n + 1
  local body = string.format(
    '{"traveller":{"surname":"%s","given_names":"%s %d","birth_date":"%d-0%d-1%d",' ..
    '"nationality":"IDN","document_number":"C%07d"},' ..
    '"trip":{"destination":"%s","purpose":"tourism","return_ticket":%s,"booking_ref":"B%d"},' ..
    '"sponsor":{"phone":"+62812%06d"}}',
    family[math.random(#family)], given[math.random(#given)], n % 1000,
    1960 + math.random(45), math.random(9), math.random(9), math.random(9999999),
    dest[math.random(#dest)], (math.random(2) == 1) and "true" or "false",
    math.random(50000), math.random(20000))
  return wrk.format("POST", "/api/v1/departures",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end

done = function(summary, latency, requests)
  io.write(string.format("departures: %d requests, %d errors (non-2xx %d), %.0f req/s\n",
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout, summary.errors.status, summary.requests / (summary.duration / 1e6)))
  io.write(string.format("latency: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
