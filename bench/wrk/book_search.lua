-- GET /books?q=WORD, WORD cycling through WRK_WORDS (comma-separated words
-- that bench/run.sh put into the seeded titles and authors).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")
local words = {}
for w in string.gmatch(os.getenv("WRK_WORDS") or "alpha", "[^,]+") do
  words[#words + 1] = w
end
local i = 0
function request()
  i = i % #words + 1
  return wrk.format("GET", "/books?q=" .. words[i], {["Accept"] = "application/json"})
end
done = report_done
