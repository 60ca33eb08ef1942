-- Entra ID's create sequence: filter by userName, then POST. Names are unique per run and thread.
-- POST_ONLY=1 sends only the POSTs (filling a tenant to a size, where the filters would only slow the fill).
local thread_id = 0
local threads = {}

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  -- Warm-up and measurement run separately: the time keeps their names apart.
  run = (os.getenv("RUN_ID") or "") .. "t" .. tostring(os.time())
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("SCIM_TOKEN")
  wrk.headers["Host"] = os.getenv("SCIM_HOST")
  wrk.headers["Content-Type"] = "application/scim+json"
  post_only = os.getenv("POST_ONLY") == "1"
end

function request()
  counter = counter + (post_only and 2 or 1)
  local n = math.floor((counter + 1) / 2)
  local name = "c" .. run .. "-" .. tid .. "-" .. n .. "@example.com"
  if counter % 2 == 1 then
    return wrk.format("GET", "/rfpserver/scim/v2/Users?filter=userName+eq+%22" .. name .. "%22")
  end
  local body = '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],' ..
    '"externalId":"x-' .. name .. '","userName":"' .. name .. '","active":true,' ..
    '"emails":[{"primary":true,"type":"work","value":"' .. name .. '"}],' ..
    '"name":{"formatted":"Given Family","familyName":"Family","givenName":"Given"},' ..
    '"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales"},"roles":[]}'
  return wrk.format("POST", "/rfpserver/scim/v2/Users", nil, body)
end
