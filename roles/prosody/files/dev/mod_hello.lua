-- mod_hello: a sample module, yours to change or replace. The development and testing configs
-- load it from src/modules (plugin_paths, modules_enabled); spec/hello_spec.lua tests its logic
-- with busted, without a server.
--
-- Send "hello" to the server's domain (e.g. localhost) and it answers "Hello, <your name>!";
-- tests/integration/hello.sh checks that against the test server.
local hello = {}

function hello.greeting(name)
	if name == nil or name == "" then
		return "Hello!"
	end
	return "Hello, " .. name .. "!"
end

-- Inside Prosody the global `prosody` exists; busted loads this file without it.
if prosody then
	local st = require "util.stanza"
	local jid_split = require "util.jid".split

	module:add_feature("urn:xmpp:prosody-dev:hello:0")

	module:hook("message/host", function(event)
		local stanza = event.stanza
		if stanza.attr.type == "error" or stanza:get_child_text("body") ~= "hello" then
			return nil -- not ours: let other modules have it
		end
		local node = jid_split(stanza.attr.from)
		module:send(st.message({ to = stanza.attr.from, from = stanza.attr.to, type = "chat" },
			hello.greeting(node)))
		return true
	end)
end

return hello
