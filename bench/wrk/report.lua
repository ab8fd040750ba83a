-- done() for wrk that prints machine-readable summary lines (latencies in
-- us). Same output as the anchors' http/report.lua, so the anchors'
-- stats.py wrkout parses ours and nginx's runs alike.
function report_done(summary, latency, requests)
  local secs = summary.duration / 1e6
  io.write(string.format("REQ_TOTAL %d\n", summary.requests))
  io.write(string.format("REQ_PER_S %.1f\n", summary.requests / secs))
  io.write(string.format("LAT_MEAN_US %.1f\n", latency.mean))
  io.write(string.format("LAT_STDEV_US %.1f\n", latency.stdev))
  for _, p in ipairs({50, 90, 99, 99.9}) do
    io.write(string.format("LAT_P%s_US %d\n", tostring(p):gsub("%.", "_"), latency:percentile(p)))
  end
  io.write(string.format("LAT_MAX_US %d\n", latency.max))
  io.write(string.format("ERR_CONNECT %d\nERR_READ %d\nERR_WRITE %d\nERR_STATUS %d\nERR_TIMEOUT %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout))
end
