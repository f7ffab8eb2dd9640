-- luacheck's settings for the workspace (tools/run-tests.sh runs luacheck on src/modules).
-- Prosody gives every module the globals `module` and `prosody`.
std = "max"
read_globals = { "module", "prosody" }
files["src/modules/spec"] = { std = "+busted" }
files["tests/unit"] = { std = "+busted" }
max_line_length = 120
