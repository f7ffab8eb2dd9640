-- mod_log_per_host (xmpp.prosody, enterprise tier): a log sink that writes every line about a host
-- into that host's own file. It is a rule of the global `log` option:
--   { to = "per_host", levels = { min = "info" }, files = { ["example.org"] = "/srv/prosody/logs/hosts/example.org.log" } }
-- A line belongs to a host when its source is the host ("example.org:c2s") or when its text names a
-- JID of the host ("Authenticated as alice@example.org"). The longest host wins, so a line about
-- conference.example.org never lands in example.org's file.
module:set_global();

local loggingmanager = require "core.loggingmanager";
local format = require "util.format".format;

local open_files = {};

local function open(filename)
	local file = open_files[filename];
	if not file then
		file = io.open(filename, "a+");
		if file then
			file:setvbuf("line");
			open_files[filename] = file;
		end
	end
	return file;
end

-- "@host" followed by the end or a character that cannot continue a domain name.
local function names_jid_of(text, at)
	local init = 1;
	while true do
		local first, last = text:find(at, init, true);
		if not first then return false; end
		local following = text:sub(last + 1, last + 1);
		if following == "" or not following:match("[%w%.%-]") then return true; end
		init = last + 1;
	end
end

local function per_host_sink(config)
	local hosts = {};
	for host, filename in pairs(config.files or {}) do
		hosts[#hosts + 1] = { host = host, at = "@" .. host, prefix = host .. ":", filename = filename };
	end
	table.sort(hosts, function (a, b) return #a.host > #b.host; end);
	return function (name, level, message, ...)
		local text = format(message, ...);
		for _, h in ipairs(hosts) do
			if name == h.host or name:sub(1, #h.prefix) == h.prefix or names_jid_of(text, h.at) then
				local file = open(h.filename);
				if file then
					file:write(os.date("%b %d %H:%M:%S "), name, "\t", level, "\t", text, "\n");
				end
				return;
			end
		end
	end;
end

-- Log rotation and reload: close every file, the next line reopens it.
module:hook_global("reopen-log-files", function ()
	for filename, file in pairs(open_files) do
		file:close();
		open_files[filename] = nil;
	end
end);

loggingmanager.register_sink_type("per_host", per_host_sink);

function module.unload()
	loggingmanager.register_sink_type("per_host", nil);
end
