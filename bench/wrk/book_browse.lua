-- GET /books?page=P, P cycling through 1..WRK_PAGES (default 50) with the
-- default page size (20, API.md), so the first 1,000 books of the catalog
-- that bench/run.sh seeds (keep-alive). wrk counts any status >= 400 as
-- ERR_STATUS (a page past the end is an empty 200, a bad one a 422).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")
local pages = tonumber(os.getenv("WRK_PAGES") or "50")
local p = 0
function request()
  p = p % pages + 1
  return wrk.format("GET", "/books?page=" .. p, {["Accept"] = "application/json"})
end
done = report_done
