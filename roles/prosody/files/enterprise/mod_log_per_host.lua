-- mod_log_per_host (xmpp.prosody, enterprise tier): a log sink that writes every line about a host
-- into that host's own file. It is a rule of the global `log` option:
--   { to = "per_host", levels = { min = "info" },
--     files = { ["example.org"] = "/srv/prosody/logs/hosts/example.org.log" } }
-- A line belongs to a host when its source is the host ("example.org:c2s") or when its text names a
-- JID of the host ("Authenticated as alice@example.org"). Names match whole, so a line about
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

-- The host a line is about: its source ("example.org" or "example.org:c2s"), else the domain of the
-- first JID in its text that is a configured host. Table lookups, so the cost of a line does not
-- grow with the number of hosts.
local function host_of(files, name, text)
	local source = name:match("^[^:]+");
	if files[source] then return source; end
	for domain in text:gmatch("@([%w%.%-\128-\255]+)") do
		domain = domain:gsub("%.+$", ""); -- "... as alice@example.org." ends a sentence
		if files[domain] then return domain; end
	end
end

local function per_host_sink(config)
	local files = config.files or {};
	return function (name, level, message, ...)
		local text = format(message, ...);
		local host = host_of(files, name, text);
		if host then
			local file = open(files[host]);
			if file then
				file:write(os.date("%b %d %H:%M:%S "), name, "\t", level, "\t", text, "\n");
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
