-- busted spec of mod_hello (tools/run-tests.sh runs every *_spec.lua from the workspace's root).
local hello = dofile("src/modules/mod_hello.lua")

describe("mod_hello", function()
	it("greets a user by name", function()
		assert.are.equal("Hello, alice!", hello.greeting("alice"))
	end)

	it("greets without a name", function()
		assert.are.equal("Hello!", hello.greeting(nil))
		assert.are.equal("Hello!", hello.greeting(""))
	end)
end)
