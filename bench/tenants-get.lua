-- GET /Users/{id} across many tenants: each line of $TARGETS is "host token id"; requests walk the lines in turn.
local targets = {}

function init(args)
  for line in io.lines(os.getenv("TARGETS")) do
    local host, token, id = line:match("(%S+) (%S+) (%S+)")
    table.insert(targets, { host = host, auth = "Bearer " .. token, path = "/rfpserver/scim/v2/Users/" .. id })
  end
  counter = math.random(#targets)
end

function request()
  counter = counter % #targets + 1
  local t = targets[counter]
  return wrk.format("GET", t.path, { ["Host"] = t.host, ["Authorization"] = t.auth })
end
