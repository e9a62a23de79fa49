-- wrk: anonymous respondents answering one consultation, start to receipt.
--
--   wrk -t N -c N -d 30s -s respond.lua http://127.0.0.1:PORT/consultations/SLUG
--
-- The same flow and form filling as locustfile.py and forms.py, in C's load generator:
-- the consultation page, "about you" (GET and POST), each question page (GET and
-- POST), the review (GET) and the submit (POST, expecting the 302 to the receipt),
-- then again as a new person (no cookie). Run it with as many threads as connections
-- (-t N -c N): each thread has its own Lua state and so exactly one respondent; with
-- more connections than threads, respondents would mix their steps. The URL is the
-- consultation's, without a trailing slash. When the server closes a connection
-- without answering, wrk connects again and sends the same step once more.
--
-- Filling, as forms.py: hidden inputs as they are; one value per radio group (a
-- citizen, publishing anonymously, otherwise the first); the first box of each
-- checkbox group; selects their first non-empty option, ranking selects ("-o" in the
-- name) distinct places 1..n; text areas a sentence; other text inputs and the honeypot
-- stay empty.
--
-- At the end it prints one line "WRKRESPOND {json}" with the complete responses, the
-- failed ones (a flow that got an unexpected status or page), the requests the complete
-- ones took (so the runner knows a complete response's requests, and how much of the
-- run went to flows that the end of the run cut off) and the request figures.

local PREFERRED = { category = "citizen", consent = "publish_anonymously" }
local SENTENCE = "Ik vind het belangrijk dat kweekvlees goed getest wordt voordat het verkocht wordt."
local FORM = "application/x-www-form-urlencoded"

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

-- per thread (one respondent) ---------------------------------------------------------

local base         -- the consultation's path, from the URL wrk was given
local cookie       -- the session cookie's "name=value", or nil for a new person
local step         -- what the next request is
local location     -- the page the flow is on (for question pages and the review)
local body_to_post -- the form data the next POST sends
submissions, failed, submitted_requests = 0, 0, 0
local requests_in_flow = 0 -- answered requests of the flow under way

function init(args)
  base = wrk.path:gsub("/$", "")
  step = "consultation"
end

local function encode(value)
  return (value:gsub("[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

local NAMED = { quot = '"', lt = "<", gt = ">", amp = "&", apos = "'" }

local function unescape(value)
  return (value:gsub("&(#?)(%w+);", function(hash, name)
    if hash == "#" then
      local code = name:sub(1, 1) == "x" and tonumber(name:sub(2), 16) or tonumber(name)
      return code and code < 128 and string.char(code) or nil
    end
    return NAMED[name]
  end))
end

local function attr(tag, name)
  local value = tag:match('%s' .. name .. '="([^"]*)"')
  return value and unescape(value)
end

-- The form data a respondent posts for this page (the rules above).
local function fill(html)
  local fields, seen = {}, {}
  local function add(name, value)
    if name ~= "website" then
      table.insert(fields, encode(name) .. "=" .. encode(value))
    end
    seen[name] = true
  end
  for tag in html:gmatch("<input(.-)>") do
    local name = attr(tag, "name")
    if name and not seen[name] then
      local kind = attr(tag, "type") or "text"
      if kind == "hidden" then
        add(name, attr(tag, "value") or "")
      elseif kind == "radio" then
        add(name, PREFERRED[name] or attr(tag, "value") or "")
      elseif kind == "checkbox" then
        add(name, attr(tag, "value") or "y")
      end
    end
  end
  local places = {}
  for tag, options in html:gmatch("<select(.-)>(.-)</select>") do
    local name = attr(tag, "name")
    local choices = {}
    for option in options:gmatch("<option(.-)>") do
      local value = attr(option, "value") or ""
      if value ~= "" then table.insert(choices, value) end
    end
    if name and not seen[name] and #choices > 0 then
      if name:find("-o", 1, true) then
        local group = name:match("^([^-]*)")
        places[group] = (places[group] or 0) + 1
        add(name, choices[math.min(places[group], #choices)])
      else
        add(name, choices[1])
      end
    end
  end
  for tag in html:gmatch("<textarea(.-)>") do
    local name = attr(tag, "name")
    if name and not seen[name] then add(name, SENTENCE) end
  end
  return table.concat(fields, "&")
end

local function csrf(html)
  local token = html:match('name="csrf_token" value="([^"]+)"')
  return token or ""
end

local function headers(post)
  local h = {}
  if cookie then h["Cookie"] = cookie end
  if post then h["Content-Type"] = FORM end
  return h
end

function request()
  if step == "consultation" then
    return wrk.format("GET", base, headers(false))
  elseif step == "about you" then
    return wrk.format("GET", base .. "/respond", headers(false))
  elseif step == "post about you" then
    return wrk.format("POST", base .. "/respond", headers(true), body_to_post)
  elseif step == "page" or step == "review" then
    return wrk.format("GET", location, headers(false))
  else -- "post page" or "submit"
    return wrk.format("POST", location, headers(true), body_to_post)
  end
end

local function start_again(ok)
  if ok then
    submissions = submissions + 1
    submitted_requests = submitted_requests + requests_in_flow
  else
    failed = failed + 1
  end
  requests_in_flow = 0
  cookie, location, body_to_post = nil, nil, nil
  step = "consultation"
end

local function path_of(headers)
  local target = headers["Location"] or headers["location"] or ""
  return (target:gsub("^https?://[^/]+", ""))
end

function response(status, headers, body)
  -- counted here, not in request(): wrk calls request() once before the run to check
  -- the script, and sends a request again after a connection closed unanswered
  requests_in_flow = requests_in_flow + 1
  local set = headers["Set-Cookie"] or headers["set-cookie"]
  if set then cookie = set:match("^([^;]+)") end
  if step == "consultation" then
    if status ~= 200 then return start_again(false) end
    step = "about you"
  elseif step == "about you" or step == "page" then
    if status ~= 200 then return start_again(false) end
    body_to_post = fill(body)
    step = (step == "about you") and "post about you" or "post page"
  elseif step == "review" then
    if status ~= 200 then return start_again(false) end
    body_to_post = "csrf_token=" .. encode(csrf(body)) .. "&website="
    step = "submit"
  elseif step == "submit" then
    start_again(status == 302 and path_of(headers):find("/receipt/", 1, true) ~= nil)
  else -- a POST of "about you" or a question page: on to the next page
    if status ~= 302 then return start_again(false) end
    location = path_of(headers)
    if location:find("/respond/", 1, true) then
      step = "page"
    elseif location:sub(-#"/review") == "/review" then
      step = "review"
    else
      start_again(false)
    end
  end
end

function done(summary, latency, requests)
  local completed, failures, their_requests = 0, 0, 0
  for _, thread in ipairs(threads) do
    completed = completed + thread:get("submissions")
    failures = failures + thread:get("failed")
    their_requests = their_requests + thread:get("submitted_requests")
  end
  local e = summary.errors
  io.write(string.format(
    'WRKRESPOND {"submissions":%d,"failed":%d,"submitted_requests":%d,' ..
    '"requests":%d,"duration_us":%d,' ..
    '"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,' ..
    '"p50":%d,"p95":%d,"p99":%d,"max":%d}\n',
    completed, failures, their_requests, summary.requests, summary.duration, e.connect,
    e.read, e.write,
    e.status, e.timeout, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max))
end
