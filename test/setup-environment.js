// Every mock the suite starts, in this process or as a spawned CLI, checks its own responses
// against the OpenAPI document: a drift becomes a 500 that fails the test.
process.env.MOCK_VALIDATE_RESPONSES = 'true';
