-- GET /books/{id} with id uniform in WRK_FIRST_BOOK .. +WRK_BOOKS-1 (keep-alive).
-- wrk counts any status >= 400 as ERR_STATUS.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")
local first = tonumber(os.getenv("WRK_FIRST_BOOK") or "1")
local n = tonumber(os.getenv("WRK_BOOKS") or "10000")
function init(args) math.randomseed(os.time()) end
function request()
  return wrk.format("GET", "/books/" .. math.random(first, first + n - 1),
                    {["Accept"] = "application/json"})
end
done = report_done
