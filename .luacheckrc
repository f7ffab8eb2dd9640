-- luacheck's settings for the Lua the roles install (make lint): Prosody modules, and the dev
-- workspace's starter module and its spec. Prosody gives every module the global `module`, whose
-- hooks (module.unload, ...) a module sets.
std = "max"
globals = { "module" }
read_globals = { "prosody" }
max_line_length = 120
files["roles/prosody/files/dev/hello_spec.lua"] = { std = "+busted" }
